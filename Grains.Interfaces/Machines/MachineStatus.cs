using MesOrleans.Oee;

namespace MesOrleans.Machines;

/// <summary>A machine's settings from the plant model.</summary>
[GenerateSerializer, Immutable, Alias("mes.MachineConfig")]
public sealed record MachineConfig(
    [property: Id(0)] string Name,
    [property: Id(1)] TimeSpan IdealCycleTime,
    [property: Id(2)] TimeSpan MicroStopThreshold);

/// <summary>The open stop of a machine.</summary>
[GenerateSerializer, Immutable, Alias("mes.OpenStop")]
public sealed record OpenStop(
    [property: Id(0)] Guid StopId,
    [property: Id(1)] MachineState State,
    [property: Id(2)] string? ReasonCode,
    [property: Id(3)] DateTimeOffset Since,
    [property: Id(4)] string? Operator,
    [property: Id(5)] string? Note,
    [property: Id(6)] EventSource Source);

/// <summary>The shift a machine's live counters belong to.</summary>
[GenerateSerializer, Immutable, Alias("mes.ShiftWindow")]
public sealed record ShiftWindow(
    [property: Id(0)] string Name,
    [property: Id(1)] DateTimeOffset Start,
    [property: Id(2)] DateTimeOffset End);

/// <summary>A machine's live view: state, open stop, and the current shift's counters and OEE.</summary>
[GenerateSerializer, Immutable, Alias("mes.MachineStatus")]
public sealed record MachineStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] MachineState? State,
    [property: Id(3)] DateTimeOffset? Since,
    [property: Id(4)] OpenStop? OpenStop,
    [property: Id(5)] ShiftWindow? Shift,
    [property: Id(6)] OeeFigures? ShiftOee,
    [property: Id(7)] bool Retired);
