using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Telemetry.Queue;

/// <summary>
/// The telemetry stream provider's adapter: a producer's <c>OnNextAsync</c> puts the message in the queue table and
/// completes once it is durable; each partition's receiver hands queued messages to the pulling agents.
/// </summary>
internal sealed class TelemetryQueueAdapter(
    string name,
    TelemetryQueue queue,
    TelemetryPartitions partitions,
    Serializer<TelemetryEvent> serializer,
    ILoggerFactory loggerFactory) : IQueueAdapter
{
    public string Name => name;

    // Delivered messages leave the table: a consumer cannot ask to read them again.
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("The telemetry queue assigns the order itself; a producer cannot give a sequence token.", nameof(token));
        }

        var partition = partitions.Of(streamId);
        var streamNamespace = streamId.GetNamespace() ?? "";
        var key = streamId.GetKeyAsString();
        foreach (var item in events)
        {
            var telemetry = item as TelemetryEvent
                ?? throw new ArgumentException($"The telemetry queue carries {nameof(TelemetryEvent)}s, not {typeof(T).Name}.", nameof(events));
            await queue.EnqueueAsync(partition, streamNamespace, key, serializer.SerializeToArray(telemetry));
        }
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new TelemetryQueueReceiver(queue, partitions[queueId], serializer, loggerFactory.CreateLogger<TelemetryQueueReceiver>());
}
