using MesOrleans.Plant;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MesOrleans.Simulator;

/// <summary>Wires the in-process simulator into a host.</summary>
public static class SimulatorHostingExtensions
{
    /// <summary>
    /// Adds <see cref="SimulatorService"/> when <c>Mes:Simulator:Enabled</c> is true, and nothing otherwise. The host
    /// says where the plant model comes from: <paramref name="plantModel"/> is called once, after the broker accepted
    /// the simulator's connection. Settings come from <c>Mes:Simulator</c> and are validated when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddMesSimulator(
        this IHostApplicationBuilder builder,
        Func<IServiceProvider, CancellationToken, Task<PlantModel>> plantModel)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(plantModel);
        if (!builder.Configuration.GetValue<bool>($"{SimulatorOptions.SectionName}:{nameof(SimulatorOptions.Enabled)}"))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService(sp => new SimulatorService(
            sp.GetRequiredService<IOptions<SimulatorOptions>>(),
            cancellationToken => plantModel(sp, cancellationToken),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return builder;
    }
}
