using System.Net;
using MesOrleans.Devices;
using MesOrleans.History;
using MesOrleans.Mqtt;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Storage;
using MesOrleans.Streams;
using MesOrleans.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MesOrleans.Hosting;

/// <summary>Wires an MES silo: the one place that decides what runs inside a silo.</summary>
public static class MesSiloExtensions
{
    /// <summary>
    /// Adds a standalone silo to a host, with its storage, history store and plant model. Settings come from the
    /// <c>Mes</c> section and are validated when the host starts, so a bad setting stops the process at once.
    /// </summary>
    public static IHostApplicationBuilder AddMesSilo(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var contentRoot = builder.Environment.ContentRootPath;
        services.AddSingleton<IValidateOptions<MesOptions>, MesOptionsValidator>();
        services.AddOptions<MesOptions>()
            .BindConfiguration(MesOptions.SectionName)
            .PostConfigure(o => o.ResolvePaths(contentRoot))
            .ValidateOnStart();

        // Before the silo, so that a taken port stops the process before anything listens.
        services.AddHostedService<ListeningPorts>();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddMes());

        // Ports are read when the silo starts, so that configuration added late (tests, hosting wrappers) counts.
        services.AddOptions<EndpointOptions>().Configure<IOptions<MesOptions>>((endpoint, mes) =>
        {
            endpoint.SiloPort = mes.Value.Silo.SiloPort;
            endpoint.GatewayPort = mes.Value.Silo.GatewayPort;
        });
        services.AddOptions<DevelopmentClusterMembershipOptions>().Configure<IOptions<MesOptions>>((membership, mes) =>
            membership.PrimarySiloEndpoint = new IPEndPoint(IPAddress.Loopback, mes.Value.Silo.SiloPort));

        // Registered after the silo, so it starts once the silo runs.
        services.AddHostedService<PlantModelStartup>();
        return builder;
    }

    /// <summary>Adds the MES grains' services and storage to a silo (also used by test clusters).</summary>
    public static ISiloBuilder AddMes(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.AddOptions<MesOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MesReadiness>();
        services.AddSingleton(sp => new MesDatabase(
            Path.Combine(sp.GetRequiredService<IOptions<MesOptions>>().Value.DataDirectory, "mes.db"),
            sp.GetRequiredService<ILogger<MesDatabase>>()));
        services.AddSingleton<PlantCatalog>();
        services.AddSingleton<OeeHistory>();
        services.AddSingleton<Reports.LossReport>();
        services.AddSingleton<SqliteHistoryStore>();
        services.AddSingleton<IHistoryStore>(sp => sp.GetRequiredService<SqliteHistoryStore>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, HistoryStoreLifecycle>();
        silo.AddSqliteGrainStorage(MesStorage.Name);
        services.AddTelemetry();

        // Memory streams are not durable (MQTT QoS 1 is the at-least-once path), so their subscriptions need not be
        // either. The pulling agents poll every few milliseconds instead of the default 100 ms: an operator must see
        // a machine turn red within a second.
        silo.AddMemoryGrainStorage("PubSubStore");
        silo.AddMemoryStreams(MesStreams.Provider, streams => streams.ConfigurePullingAgent(agent =>
            agent.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10))));
        return silo;
    }

    private static void AddTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.SectionName).ValidateOnStart();
        services.AddSingleton<TelemetryStats>();
        services.AddSingleton<RejectLog>();
        services.AddSingleton<UnknownDevices>();
        services.AddSingleton<TelemetryIngestion>();
        services.AddSingleton<DeviceAccountDirectory>();
        services.AddSingleton<BrokerAccess>();
        services.AddSingleton<ClientQueues>();
        services.AddSingleton<SharedSubscriptions>();
        services.AddSingleton<EmbeddedBroker>();
        services.AddSingleton<MqttBridge>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, TelemetrySource>();
    }
}
