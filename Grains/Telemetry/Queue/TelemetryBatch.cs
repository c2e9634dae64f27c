using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace MesOrleans.Telemetry.Queue;

/// <summary>One queued telemetry message on its way to its machine grain; its token's number is its id in the queue.</summary>
[GenerateSerializer, Immutable, Alias("mes.TelemetryBatch")]
internal sealed class TelemetryBatch : IBatchContainer
{
    [Id(0)] public required StreamId StreamId { get; init; }

    [Id(1)] public required TelemetryEvent Telemetry { get; init; }

    [Id(2)] public required EventSequenceTokenV2 Token { get; init; }

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Telemetry is T item ? [Tuple.Create(item, (StreamSequenceToken)Token)] : [];

    public bool ImportRequestContext() => false;
}
