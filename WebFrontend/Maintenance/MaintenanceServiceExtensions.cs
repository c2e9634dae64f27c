using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>The maintenance page's services.</summary>
public static class MaintenanceServiceExtensions
{
    public static IServiceCollection AddMaintenance(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MaintenanceBoardFeed>();
        services.AddSingleton<MachineRunTimes>();
        services.AddScoped<MaintenanceDesk>();
        services.AddScoped<CrewMember>();
        return services;
    }
}
