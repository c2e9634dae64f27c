namespace MesOrleans.Machines;

/// <summary>The kinds of events in a machine's history.</summary>
public enum MachineEventKind
{
    /// <summary>The machine entered <see cref="MachineEvent.State"/>; a stop's id is the id of the event that opened it.</summary>
    StateChanged,

    /// <summary>Parts were counted: <see cref="MachineEvent.TotalDelta"/> made, <see cref="MachineEvent.ScrapDelta"/> of them scrap.</summary>
    Counted,

    /// <summary>The entry <see cref="MachineEvent.RefersTo"/> no longer counts (a correction with who and why).</summary>
    Voided,

    /// <summary>The stop <see cref="MachineEvent.RefersTo"/> now has reason <see cref="MachineEvent.ReasonCode"/>.</summary>
    StopRecoded,

    /// <summary>From <see cref="MachineEvent.Timestamp"/> on, the stop <see cref="MachineEvent.RefersTo"/> has reason <see cref="MachineEvent.ReasonCode"/>.</summary>
    StopSplit,

    /// <summary>
    /// Of the scrap the machine counted itself (which comes without a reason), <see cref="MachineEvent.ScrapDelta"/>
    /// parts have reason <see cref="MachineEvent.ReasonCode"/>, given by a person. Counts do not change.
    /// </summary>
    ScrapReasoned,
}

/// <summary>
/// One fact in a machine's append-only history. Corrections are new events that refer to earlier ones; nothing
/// recorded is edited or deleted.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.MachineEvent")]
public sealed record MachineEvent(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string MachineId,
    [property: Id(2)] MachineEventKind Kind,
    [property: Id(3)] DateTimeOffset Timestamp,
    [property: Id(4)] DateTimeOffset RecordedAt,
    [property: Id(5)] EventSource Source)
{
    /// <summary>The state entered (<see cref="MachineEventKind.StateChanged"/>).</summary>
    [Id(6)] public MachineState? State { get; init; }

    /// <summary>A downtime or scrap reason code.</summary>
    [Id(7)] public string? ReasonCode { get; init; }

    /// <summary>Parts made (<see cref="MachineEventKind.Counted"/>).</summary>
    [Id(8)] public long TotalDelta { get; init; }

    /// <summary>Of those, scrap (<see cref="MachineEventKind.Counted"/>).</summary>
    [Id(9)] public long ScrapDelta { get; init; }

    /// <summary>The event a correction refers to.</summary>
    [Id(10)] public Guid? RefersTo { get; init; }

    /// <summary>Who: an operator's name, a user, or the device.</summary>
    [Id(11)] public string? Actor { get; init; }

    /// <summary>A free-text note or the reason for a correction.</summary>
    [Id(12)] public string? Note { get; init; }

    /// <summary>
    /// The event's number in its machine's log (1, 2, 3, …): every fact the machine grain accepted, in the order it
    /// accepted them. The log is unique by machine and number, so appending the same event again changes nothing.
    /// </summary>
    [Id(13)] public long Sequence { get; init; }
}
