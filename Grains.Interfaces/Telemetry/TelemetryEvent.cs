using MesOrleans.Machines;

namespace MesOrleans.Telemetry;

/// <summary>The two signals of the telemetry contract.</summary>
public enum TelemetrySignal
{
    /// <summary>Topic <c>…/state</c>: the machine's state with an optional reason code.</summary>
    State,

    /// <summary>Topic <c>…/count</c>: cumulative counters as the PLC keeps them.</summary>
    Count,
}

/// <summary>
/// One validated telemetry message on its way to a machine grain. Counters are cumulative, as the device
/// sent them; the grain turns them into deltas.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.TelemetryEvent")]
public sealed record TelemetryEvent(
    [property: Id(0)] string MachineId,
    [property: Id(1)] TelemetrySignal Signal,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] DateTimeOffset ReceivedAt)
{
    /// <summary>The reported state (<see cref="TelemetrySignal.State"/>).</summary>
    [Id(4)] public MachineState? State { get; init; }

    /// <summary>The PLC's reason code, if any (<see cref="TelemetrySignal.State"/>).</summary>
    [Id(5)] public string? ReasonCode { get; init; }

    /// <summary>The cumulative total count (<see cref="TelemetrySignal.Count"/>).</summary>
    [Id(6)] public long? Total { get; init; }

    /// <summary>The cumulative scrap count; null means unchanged (<see cref="TelemetrySignal.Count"/>).</summary>
    [Id(7)] public long? Scrap { get; init; }

    /// <summary>The sender's per-machine sequence number across signals, if it sends one.</summary>
    [Id(8)] public long? Sequence { get; init; }
}
