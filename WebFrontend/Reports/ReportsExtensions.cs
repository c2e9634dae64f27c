namespace MesOrleans.WebFrontend.Reports;

/// <summary>The reports page's services.</summary>
public static class ReportsExtensions
{
    public static IServiceCollection AddReports(this IServiceCollection services) => services.AddScoped<ReportDesk>();
}
