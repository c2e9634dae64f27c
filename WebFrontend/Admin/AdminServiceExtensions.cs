namespace MesOrleans.WebFrontend.Admin;

/// <summary>The admin page's services.</summary>
public static class AdminServiceExtensions
{
    public static IServiceCollection AddPlantAdmin(this IServiceCollection services) =>
        services.AddScoped<IPlantModelStore, PlantModelStore>()
            .AddScoped<Telemetry.ITelemetryOverviewSource, Telemetry.TelemetryOverviewSource>();
}
