using MesOrleans.Oee;
using MesOrleans.Plant;

namespace MesOrleans.Machines;

/// <summary>A machine's settings from the plant model.</summary>
[GenerateSerializer, Immutable, Alias("mes.MachineConfig")]
public sealed record MachineConfig(
    [property: Id(0)] string Name,
    [property: Id(1)] TimeSpan IdealCycleTime,
    [property: Id(2)] TimeSpan MicroStopThreshold)
{
    /// <summary>A running machine silent this long turns offline.</summary>
    [Id(3)] public TimeSpan OfflineAfter { get; init; } = TimeSpan.FromSeconds(MachineModel.DefaultOfflineAfterSeconds);

    /// <summary>A count-only machine that counts nothing this long during a shift gets an unassigned stop.</summary>
    [Id(4)] public TimeSpan NoCountStopAfter { get; init; } = IdealCycleTime * MachineModel.DefaultNoCountStopCycles;
}

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

/// <summary>
/// A machine's live view: state, open stop, and the current shift's counters and OEE. <see cref="CountsItself"/>:
/// the machine sends its own counts, so people record scrap but not good parts. <see cref="UnassignedScrap"/>: parts
/// the machine counted as scrap this shift that nobody has given a reason yet.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.MachineStatus")]
public sealed record MachineStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] MachineState? State,
    [property: Id(3)] DateTimeOffset? Since,
    [property: Id(4)] OpenStop? OpenStop,
    [property: Id(5)] ShiftWindow? Shift,
    [property: Id(6)] OeeFigures? ShiftOee,
    [property: Id(7)] bool Retired,
    [property: Id(8)] bool CountsItself = false,
    [property: Id(9)] long UnassignedScrap = 0);
