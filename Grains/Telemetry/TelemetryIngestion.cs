using System.Buffers;
using System.Collections.Concurrent;
using MesOrleans.Hosting;
using MesOrleans.Mqtt;
using MesOrleans.Plant;
using MesOrleans.Streams;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Streams;

namespace MesOrleans.Telemetry;

/// <summary>
/// Takes a raw MQTT message, validates it, and hands it to the machine's telemetry stream. Bad messages are counted
/// by reason, logged without flooding and dropped: they never reach a grain and never stop ingestion. The task
/// completes when the event is durable in the stream's queue, so the caller acknowledges the message only then; it
/// throws <see cref="Queue.TelemetryRefusedException"/> (or a storage error) when it is not, and the caller must not
/// acknowledge.
/// </summary>
internal sealed class TelemetryIngestion
{
    private readonly IClusterClient _client;
    private readonly PlantCatalog _catalog;
    private readonly TelemetryStats _stats;
    private readonly RejectLog _rejects;
    private readonly UnknownDevices _unknownDevices;
    private readonly TimeProvider _time;
    private readonly TelemetryParser _parser;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, IAsyncStream<TelemetryEvent>> _streams = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastAccepted = new();
    private volatile PlantView? _plant;

    public TelemetryIngestion(
        IClusterClient client,
        PlantCatalog catalog,
        TelemetryStats stats,
        RejectLog rejects,
        UnknownDevices unknownDevices,
        TimeProvider time,
        IOptions<MqttOptions> mqtt,
        IOptions<MesOptions> mes)
    {
        _client = client;
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

    /// <summary>True when the message was handed to a machine; false when it is not telemetry or was rejected.</summary>
    public async ValueTask<bool> IngestAsync(string topic, ReadOnlySequence<byte> payload)
    {
        // Other topics on the same broker are none of our business.
        if (!topic.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return false;
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

            return false;
        }

        await StreamOf(telemetry.MachineId).OnNextAsync(telemetry);
        _stats.RecordAccepted();
        _lastAccepted[telemetry.MachineId] = now;
        return true;
    }

    /// <summary>When this silo last took a message for each machine it heard from since it started.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastAccepted => _lastAccepted;

    private IAsyncStream<TelemetryEvent> StreamOf(string machineId) =>
        _streams.GetOrAdd(machineId, id => _client
            .GetStreamProvider(MesStreams.TelemetryProvider)
            .GetStream<TelemetryEvent>(StreamId.Create(MesStreams.Telemetry, id)));
}
