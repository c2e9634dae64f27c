using System.Buffers;
using System.Collections.Concurrent;
using MesOrleans.Hosting;
using MesOrleans.Mqtt;
using MesOrleans.Plant;
using MesOrleans.Streams;
using MesOrleans.Telemetry.Queue;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Serialization;

namespace MesOrleans.Telemetry;

/// <summary>
/// Takes a raw MQTT message, validates it, and puts it in the queue of the machine's telemetry stream, whose pulling
/// agent delivers it to the machine grain. Bad messages are counted by reason, logged without flooding and dropped:
/// they never reach a grain and never stop ingestion. The caller acknowledges a message only once it is durable in
/// the queue; when it is not (<see cref="TelemetryRefusedException"/> under backpressure, or a storage error) the
/// caller must not acknowledge.
/// </summary>
internal sealed class TelemetryIngestion
{
    private readonly PlantCatalog _catalog;
    private readonly TelemetryStats _stats;
    private readonly RejectLog _rejects;
    private readonly UnknownDevices _unknownDevices;
    private readonly TimeProvider _time;
    private readonly TelemetryQueue _queue;
    private readonly TelemetryPartitions _partitions;
    private readonly Serializer<TelemetryEvent> _serializer;
    private readonly TelemetryParser _parser;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, int> _partitionOf = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastAccepted = new();
    private volatile PlantView? _plant;

    public TelemetryIngestion(
        PlantCatalog catalog,
        TelemetryStats stats,
        RejectLog rejects,
        UnknownDevices unknownDevices,
        TimeProvider time,
        TelemetryQueue queue,
        TelemetryPartitions partitions,
        Serializer<TelemetryEvent> serializer,
        IOptions<MqttOptions> mqtt,
        IOptions<MesOptions> mes)
    {
        _queue = queue;
        _partitions = partitions;
        _serializer = serializer;
        _catalog = catalog;
        _stats = stats;
        _rejects = rejects;
        _unknownDevices = unknownDevices;
        _time = time;
        _prefix = mqtt.Value.TopicPrefix + "/";
        var limits = mes.Value.Telemetry;
        _parser = new TelemetryParser(
            new TelemetryParserSettings(mqtt.Value.TopicPrefix, limits.MaxEventAge, limits.MaxFutureSkew),
            machine => _plant?.Machine(machine) is not null);
    }

    /// <summary>True once the message is durable in its machine's queue; false when it is not telemetry or was rejected.</summary>
    public async ValueTask<bool> IngestAsync(string topic, ReadOnlySequence<byte> payload)
    {
        if (await HandOverAsync(topic, payload) is not { } durable)
        {
            return false;
        }

        await durable;
        return true;
    }

    /// <summary>
    /// Validates the message and puts it in its machine's queue. When this completes the message is in the queue's
    /// hands (after waiting for room under backpressure), so a caller that hands over one message after the other keeps
    /// them in that order while their commits are still running. The result is null when the message is not telemetry
    /// or was rejected; otherwise a task that completes once the message is durable, or fails when it could not be
    /// written.
    /// </summary>
    public async ValueTask<Task?> HandOverAsync(string topic, ReadOnlySequence<byte> payload)
    {
        // Other topics on the same broker are none of our business.
        if (!topic.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return null;
        }

        _stats.RecordReceived();
        _plant = await _catalog.GetCurrentAsync();
        var now = _time.GetUtcNow();
        var result = _parser.Parse(topic, payload, now);
        if (result.Event is not { } telemetry)
        {
            var reason = result.Reject!.Value;
            _stats.RecordRejected(reason);
            _rejects.Record(reason, topic, result.Detail ?? reason.ToString());
            if (reason == TelemetryRejectReason.UnknownMachine && result.Machine is { } unknown)
            {
                _unknownDevices.Record(unknown, topic, now);
            }

            return null;
        }

        if (!_queue.HasRoom)
        {
            await _queue.WaitForRoomAsync();
        }

        var durable = _queue.Submit(
            PartitionOf(telemetry.MachineId), MesStreams.Telemetry, telemetry.MachineId, _serializer.SerializeToArray(telemetry));
        return AcceptedAsync(durable, telemetry.MachineId, now);
    }

    private async Task AcceptedAsync(Task durable, string machineId, DateTimeOffset at)
    {
        await durable;
        _stats.RecordAccepted();
        _lastAccepted[machineId] = at;
    }

    /// <summary>When this silo last took a message for each machine it heard from since it started.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastAccepted => _lastAccepted;

    // The partition whose pulling agent delivers the machine's telemetry stream (keyed by the machine id).
    private int PartitionOf(string machineId) =>
        _partitionOf.GetOrAdd(machineId, id => _partitions.Of(StreamId.Create(MesStreams.Telemetry, id)));
}
