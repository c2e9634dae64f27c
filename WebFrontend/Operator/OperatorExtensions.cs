using MesOrleans.Reports;

namespace MesOrleans.WebFrontend.Operator;

/// <summary>The operator station's services.</summary>
public static class OperatorExtensions
{
    public static IServiceCollection AddOperatorStation(this IServiceCollection services)
    {
        services.AddSingleton<MachineTimeline>();
        services.AddScoped<OperatorStation>();
        services.AddScoped<StationMemory>();
        return services;
    }
}
