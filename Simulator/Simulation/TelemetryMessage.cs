using MesOrleans.Plant;
using MesOrleans.Telemetry;

namespace MesOrleans.Simulator;

/// <summary>One MQTT message of the telemetry contract, as a simulated machine sends it.</summary>
/// <param name="Machine">The machine that sent it.</param>
/// <param name="Signal">State or count.</param>
/// <param name="Timestamp">The simulated event time, the payload's <c>ts</c>.</param>
/// <param name="Sequence">The machine's sequence number across signals, the payload's <c>seq</c>.</param>
/// <param name="Topic">The full topic, e.g. <c>mes/plant1/assembly/press-1/state</c>.</param>
/// <param name="Payload">The UTF-8 JSON payload.</param>
public sealed record TelemetryMessage(
    EquipmentPath Machine,
    TelemetrySignal Signal,
    DateTimeOffset Timestamp,
    long Sequence,
    string Topic,
    string Payload);
