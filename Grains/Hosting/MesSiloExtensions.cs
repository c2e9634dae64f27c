using System.Net;
using MesOrleans.Cluster;
using MesOrleans.Devices;
using MesOrleans.History;
using MesOrleans.History.Retention;
using MesOrleans.Hosting.Metrics;
using MesOrleans.Mqtt;
using MesOrleans.Oee;
using MesOrleans.Placement;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;
using MesOrleans.Storage;
using MesOrleans.Streams;
using MesOrleans.Telemetry;
using MesOrleans.Telemetry.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace MesOrleans.Hosting;

/// <summary>Wires an MES silo: the one place that decides what runs inside a silo.</summary>
public static class MesSiloExtensions
{
    /// <summary>
    /// Adds a silo to a host, with its storage, event log and plant model: standalone (localhost clustering, SQLite) or
    /// a member of a cluster on PostgreSQL, as <c>Mes:Mode</c> says. Settings come from the <c>Mes</c> section and are
    /// validated when the host starts, so a bad setting stops the process at once.
    /// </summary>
    public static IHostApplicationBuilder AddMesSilo(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var mode = builder.AddMesOptions();

        // Before the silo, so that a taken port stops the process before anything listens.
        services.AddHostedService<ListeningPorts>();
        builder.UseOrleans(silo =>
        {
            if (mode == MesMode.Cluster)
            {
                silo.UseMesCluster();
            }
            else
            {
                silo.UseLocalhostClustering();
            }

            silo.AddMes(mode);
            silo.AddMesDashboard(builder.Configuration);

            // The sites this silo serves, for every silo's placement decisions (Mes:Silo:Sites).
            var sites = builder.Configuration.GetSection($"{MesOptions.SectionName}:Silo:Sites").Get<List<string>>() ?? [];
            silo.UseSiloMetadata(new Dictionary<string, string> { [SitePlacementDirector.SitesKey] = string.Join(',', sites) });
        });


        // Ports are read when the silo starts, so that configuration added late (tests, hosting wrappers) counts.
        services.AddOptions<EndpointOptions>().Configure<IOptions<MesOptions>>((endpoint, mes) =>
        {
            endpoint.SiloPort = mes.Value.Silo.SiloPort;
            endpoint.GatewayPort = mes.Value.Silo.GatewayPort;
        });
        if (mode == MesMode.Standalone)
        {
            services.AddOptions<DevelopmentClusterMembershipOptions>().Configure<IOptions<MesOptions>>((membership, mes) =>
                membership.PrimarySiloEndpoint = new IPEndPoint(IPAddress.Loopback, mes.Value.Silo.SiloPort));
        }

        // Registered after the silo, so it starts once the silo runs.
        services.AddHostedService<PlantModelStartup>();
        return builder;
    }

    /// <summary>
    /// Binds and validates the <c>Mes</c> section, and returns the mode it names, which decides what is registered.
    /// A mode that is not one of the names is registered as standalone and refused by the validation at start.
    /// </summary>
    public static MesMode AddMesOptions(this IHostApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MesOptions>, MesOptionsValidator>());
        builder.Services.AddOptions<MesOptions>()
            .BindConfiguration(MesOptions.SectionName)
            .PostConfigure(o => o.ResolvePaths(contentRoot))
            .ValidateOnStart();
        return Enum.TryParse<MesMode>(builder.Configuration[$"{MesOptions.SectionName}:Mode"], ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : MesMode.Standalone;
    }

    /// <summary>Adds the MES grains' services and the mode's storage to a silo (also used by test clusters).</summary>
    public static ISiloBuilder AddMes(this ISiloBuilder silo, MesMode mode = MesMode.Standalone)
    {
        var services = silo.Services;
        services.AddOptions<MesOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MesReadiness>();
        services.AddSingleton<PlantCatalog>();
        services.AddPlacementDirector<SitePlacement, SitePlacementDirector>();
        services.AddSingleton<OeeHistory>();
        services.AddSingleton<Reports.LossReport>();
        services.AddSingleton<Reports.PeriodReports>();
        if (mode == MesMode.Standalone)
        {
            silo.AddStandaloneStorage();

            // One silo that restarts as a whole: machines are woken at start (PlantModelStartup), so reminders need
            // not outlive the process.
            silo.UseInMemoryReminderService();
        }

        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, HistoryStoreLifecycle>();
        services.AddSingleton<RollupFollower>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<RollupFollower>());
        services.AddSingleton<HistoryRetention>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<HistoryRetention>());
        services.AddTelemetry();
        silo.AddTelemetryStream();

        // Live views are memory streams: a screen that missed a status reads the grain again. Their subscriptions are
        // kept under a storage name of their own (never a grain storage's): in memory standalone, where the web app
        // restarts with its silo; in the cluster database, so that a web app's subscription outlives a silo (see UseMesCluster).
        if (mode == MesMode.Standalone)
        {
            silo.AddMemoryGrainStorage(Orleans.Providers.ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME);
        }

        silo.AddMemoryStreams(MesStreams.LiveProvider, streams => streams.ConfigurePullingAgent(agent =>
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
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, TelemetryReporter>();
    }
}
