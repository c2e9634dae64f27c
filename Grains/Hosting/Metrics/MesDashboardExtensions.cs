using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace MesOrleans.Hosting.Metrics;

/// <summary>
/// The Orleans Dashboard (Microsoft.Orleans.Dashboard): every silo runs its grains and its call profiler, and the web
/// app (co-hosted silo or cluster client) serves its pages under <see cref="Path"/> for admins. Not <c>/dashboard</c>:
/// that is the MES supervisors' page. Off with <c>Mes:Metrics:Dashboard=false</c>, on silos and web app alike.
/// </summary>
public static class MesDashboardExtensions
{
    public const string Path = "/orleans";

    public static ISiloBuilder AddMesDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (IsEnabled(configuration))
        {
            silo.AddDashboard(Configure);
        }

        return silo;
    }

    public static IClientBuilder AddMesDashboard(this IClientBuilder client, IConfiguration configuration)
    {
        if (IsEnabled(configuration))
        {
            client.AddDashboard(Configure);
        }

        return client;
    }

    /// <summary>The dashboard's pages and data, for the caller to protect (the web app: admins only); nothing when it is off.</summary>
    public static IEndpointConventionBuilder MapMesDashboard(this IEndpointRouteBuilder endpoints) =>
        IsEnabled(endpoints.ServiceProvider.GetRequiredService<IConfiguration>())
            ? endpoints.MapOrleansDashboard(routePrefix: Path)
            : endpoints.MapGroup(Path);

    // Logs are read where the process writes them (journald, files): the dashboard does not stream them.
    private static void Configure(DashboardOptions options) => options.HideTrace = true;

    private static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue($"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Dashboard)}", defaultValue: true);
}
