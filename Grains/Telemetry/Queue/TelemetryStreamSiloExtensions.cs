using MesOrleans.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Streams;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Telemetry.Queue;

/// <summary>Wires the durable telemetry stream: its queue file, and the persistent stream provider that pulls from it.</summary>
public static class TelemetryStreamSiloExtensions
{
    // Pulling agents poll this often; idle polls cost no query, so a short period buys latency for nothing.
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(2);

    // How many queued messages of one machine a delivery carries: one append, one commit for all of them.
    private const int DeliveryBatchSize = 256;

    /// <summary>
    /// Adds the <see cref="MesStreams.TelemetryProvider"/> stream provider on the <see cref="TelemetryQueue"/> the mode's
    /// storage registers (SQLite standalone, PostgreSQL in a cluster). Its subscriptions are implicit only (every
    /// machine grain), so it keeps no pub-sub state.
    /// </summary>
    public static ISiloBuilder AddTelemetryStream(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.AddSingleton<IValidateOptions<TelemetryQueueOptions>, TelemetryQueueOptionsValidator>();
        services.AddOptions<TelemetryQueueOptions>().BindConfiguration(TelemetryQueueOptions.SectionName).ValidateOnStart();
        services.AddSingleton<TelemetryPartitions>();

        silo.AddPersistentStreams(MesStreams.TelemetryProvider, TelemetryQueueAdapterFactory.Create, stream =>
        {
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = PollPeriod;
                o.BatchContainerBatchSize = DeliveryBatchSize;

                // While a machine cannot take its messages (storage down), its partition waits rather than skipping them.
                o.MaxEventDeliveryTime = TimeSpan.FromMinutes(10);
            }));
        });
        return silo;
    }
}
