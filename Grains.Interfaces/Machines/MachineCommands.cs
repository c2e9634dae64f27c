namespace MesOrleans.Machines;

// Commands to a machine grain. A null timestamp means "now"; an explicit one records something after the fact.

/// <summary>The machine reports (or a person sets) a state. The one path for every state change.</summary>
[GenerateSerializer, Immutable, Alias("mes.ReportState")]
public sealed record ReportState(
    [property: Id(0)] MachineState State,
    [property: Id(1)] string? ReasonCode,
    [property: Id(2)] DateTimeOffset? Timestamp,
    [property: Id(3)] EventSource Source,
    [property: Id(4)] string? Actor = null,
    [property: Id(5)] string? Note = null);

/// <summary>An operator stops the machine with a reason.</summary>
[GenerateSerializer, Immutable, Alias("mes.StartDowntime")]
public sealed record StartDowntime(
    [property: Id(0)] string ReasonCode,
    [property: Id(1)] string? Note,
    [property: Id(2)] string? Operator,
    [property: Id(3)] DateTimeOffset? Timestamp = null);

/// <summary>Parts scrapped, with a reason.</summary>
[GenerateSerializer, Immutable, Alias("mes.RecordScrap")]
public sealed record RecordScrap(
    [property: Id(0)] long Quantity,
    [property: Id(1)] string ReasonCode,
    [property: Id(2)] string? Operator,
    [property: Id(3)] DateTimeOffset? Timestamp = null);

/// <summary>
/// Good parts counted by hand, for machines without counters. On a machine that counts its parts itself they would
/// count twice, so they are refused unless <see cref="OverrideReason"/> says why the machine's counter cannot be trusted
/// (broken counter, blocked sensor): then they are recorded with that reason.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.RecordGoodCount")]
public sealed record RecordGoodCount(
    [property: Id(0)] long Good,
    [property: Id(1)] string? Operator,
    [property: Id(2)] DateTimeOffset? Timestamp = null,
    [property: Id(3)] string? OverrideReason = null);

/// <summary>A reason for parts of the scrap the machine counted itself this shift, which it sent without one.</summary>
[GenerateSerializer, Immutable, Alias("mes.AssignScrapReason")]
public sealed record AssignScrapReason(
    [property: Id(0)] long Quantity,
    [property: Id(1)] string ReasonCode,
    [property: Id(2)] string? Operator);

/// <summary>Who corrects a recorded fact, and why.</summary>
[GenerateSerializer, Immutable, Alias("mes.Correction")]
public sealed record Correction(
    [property: Id(0)] string By,
    [property: Id(1)] string Why);

/// <summary>A work order running on a machine's line, and its part.</summary>
[GenerateSerializer, Immutable, Alias("mes.RunningOrder")]
public sealed record RunningOrder(
    [property: Id(0)] string OrderNumber,
    [property: Id(1)] string PartNumber);
