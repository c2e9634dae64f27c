using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace MesOrleans.WebFrontend.ComponentTests;

/// <summary>A bUnit context with Radzen's services; Radzen's JavaScript calls are answered with defaults.</summary>
public abstract class RadzenContext : BunitContext
{
    protected RadzenContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddRadzenComponents();
        Services.AddSingleton(TimeProvider.System);
    }
}
