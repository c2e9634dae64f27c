using MesOrleans.Streams;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace MesOrleans.Telemetry.Queue;

/// <summary>
/// Which queue partition carries a machine's telemetry stream: the stream provider's ring of queues, numbered in ring
/// order, the same on every start with the same partition count. The broker's hook and the provider's pulling agents
/// read it from here, so that a message goes to the partition whose agent delivers it.
/// </summary>
internal sealed class TelemetryPartitions
{
    private readonly Dictionary<QueueId, int> _partitions;

    public TelemetryPartitions(IOptions<TelemetryQueueOptions> options)
    {
        Mapper = new HashRingBasedStreamQueueMapper(
            new HashRingStreamQueueMapperOptions { TotalQueueCount = options.Value.Partitions }, MesStreams.TelemetryProvider);
        _partitions = Mapper.GetAllQueues().Select((queueId, index) => (queueId, index)).ToDictionary(x => x.queueId, x => x.index);
    }

    public HashRingBasedStreamQueueMapper Mapper { get; }

    /// <summary>The partition a queue of the ring reads.</summary>
    public int this[QueueId queueId] => _partitions[queueId];

    /// <summary>The partition that carries <paramref name="streamId"/>.</summary>
    public int Of(StreamId streamId) => _partitions[Mapper.GetQueueForStream(streamId)];
}
