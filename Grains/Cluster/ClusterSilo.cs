using System.Net;
using MesOrleans.History;
using MesOrleans.History.Retention;
using MesOrleans.Reports.Rollup;
using MesOrleans.Storage;
using MesOrleans.Telemetry.Queue;
using Microsoft.Extensions.Logging;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MesOrleans.Cluster;

/// <summary>Cluster mode for a silo: the parts that live in the cluster's PostgreSQL database.</summary>
public static class ClusterSilo
{
    /// <summary>
    /// Puts the silo in the cluster of <c>Mes:Cluster</c> on the PostgreSQL database of <c>ConnectionStrings:Mes</c>:
    /// membership (ADO.NET clustering), the <see cref="MesStorage.Name"/> grain storage, reminders, the machines' event
    /// log with its rollups and retention, and the telemetry queue. Settings are validated when the host starts. The
    /// database needs the schema first (<c>Silo db init</c>). Ports stay with the caller (<c>Mes:Silo</c>); the grains'
    /// other services are added separately.
    /// </summary>
    public static ISiloBuilder UseMesCluster(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.AddMesClusterOptions();
        services.AddMesDataSource();
        services.AddSingleton<PostgresRollups>();
        services.AddSingleton<IRollupReader>(sp => sp.GetRequiredService<PostgresRollups>());
        services.AddSingleton<IRollupStore>(sp => sp.GetRequiredService<PostgresRollups>());
        services.AddSingleton<PostgresHistoryStore>();
        services.AddSingleton<EventLogWriter>(sp => sp.GetRequiredService<PostgresHistoryStore>());
        services.AddSingleton<IMachineEventLog>(sp => sp.GetRequiredService<PostgresHistoryStore>());
        services.AddSingleton<IHistoryReader>(sp => sp.GetRequiredService<PostgresHistoryStore>());
        services.AddSingleton<IHistoryPruning, PostgresPruning>();
        services.AddSingleton<TelemetryQueue>(sp => new PostgresTelemetryQueue(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptions<TelemetryQueueOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PostgresTelemetryQueue>>()));

        silo.UseAdoNetClustering(options => options.UseMesDatabase((clustering, connectionString) =>
        {
            clustering.Invariant = ClusterOptionsRegistration.Invariant;
            clustering.ConnectionString = connectionString;
        }));
        silo.AddAdoNetGrainStorage(MesStorage.Name, options => options.UseMesDatabase((storage, connectionString) =>
        {
            storage.Invariant = ClusterOptionsRegistration.Invariant;
            storage.ConnectionString = connectionString;
            storage.GrainStorageSerializer = new GrainStateJson();
        }));
        // Stream subscriptions (a web app's live views) in Orleans' own binary format, which reads back what it wrote.
        silo.AddAdoNetGrainStorage(Orleans.Providers.ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, options => options.UseMesDatabase((storage, connectionString) =>
        {
            storage.Invariant = ClusterOptionsRegistration.Invariant;
            storage.ConnectionString = connectionString;
        }));
        silo.UseAdoNetReminderService(options => options.UseMesDatabase((reminders, connectionString) =>
        {
            reminders.Invariant = ClusterOptionsRegistration.Invariant;
            reminders.ConnectionString = connectionString;
        }));

        services.AddOptions<EndpointOptions>().Configure<IOptions<MesClusterOptions>>((endpoint, mes) =>
        {
            if (!string.IsNullOrWhiteSpace(mes.Value.AdvertisedAddress))
            {
                endpoint.AdvertisedIPAddress = IPAddress.Parse(mes.Value.AdvertisedAddress);
            }
        });
        services.AddOptions<SiloOptions>().Configure<IOptions<MesClusterOptions>>((options, mes) =>
        {
            if (!string.IsNullOrWhiteSpace(mes.Value.SiloName))
            {
                options.SiloName = mes.Value.SiloName;
            }
        });
        return silo;
    }
}
