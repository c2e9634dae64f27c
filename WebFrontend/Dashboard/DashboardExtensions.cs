using MesOrleans.Reports;

namespace MesOrleans.WebFrontend.Dashboard;

/// <summary>The supervisor dashboard's services.</summary>
public static class DashboardExtensions
{
    public static IServiceCollection AddSupervisorDashboard(this IServiceCollection services) =>
        services.AddScoped<ShiftBoard>()
            .AddSingleton<SiteLosses>()
            .AddScoped<CorrectionDesk>()
            .AddSingleton<MachineRecord>();
}
