using MesOrleans.Cluster;
using MesOrleans.History;
using MesOrleans.Hosting.Metrics;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;
using MesOrleans.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MesOrleans.Hosting;

/// <summary>How a web app reaches the grains: co-hosting a standalone silo, or as a pure client of a cluster.</summary>
public static class MesClientExtensions
{
    /// <summary>
    /// Standalone (<c>Mes:Mode</c>): the host co-hosts a silo (<see cref="MesSiloExtensions.AddMesSilo"/>). Cluster: the
    /// host is an Orleans client only (<see cref="AddMesClient"/>). Either way the host gets the same services for
    /// pages and endpoints: grains through <see cref="IGrainFactory"/>, and a read-only <see cref="IHistoryReader"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMesSiloOrClient(this IHostApplicationBuilder builder) =>
        builder.AddMesOptions() == MesMode.Cluster ? builder.AddMesClient() : builder.AddMesSilo();

    /// <summary>
    /// A pure Orleans client of the cluster of <c>Mes:Cluster</c>: gateways from the membership table, live views from
    /// the silos' memory streams, and history read from the cluster database over the client's own connections.
    /// </summary>
    public static IHostApplicationBuilder AddMesClient(this IHostApplicationBuilder builder)
    {
        builder.AddMesOptions();
        builder.UseOrleansClient(client =>
        {
            client.UseMesCluster();
            client.AddMemoryStreams(MesStreams.LiveProvider);
            client.AddMesDashboard(builder.Configuration);
        });

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MesReadiness>();
        services.AddMesDataSource();

        // Only its reads are used here; appends are the silos' (this store is never started in a client).
        services.AddSingleton<IHistoryReader, PostgresHistoryStore>();
        services.AddSingleton<IRollupReader, PostgresRollups>();
        services.AddSingleton<PlantCatalog>();
        services.AddSingleton<OeeHistory>();
        services.AddSingleton<Reports.LossReport>();
        services.AddSingleton<Reports.PeriodReports>();
        return builder;
    }
}
