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
    /// <summary>
    /// From <see cref="MachineEvent.Timestamp"/> on, work order <see cref="MachineEvent.OrderNumber"/> for part
    /// <see cref="MachineEvent.PartNumber"/> runs on the machine's line (both null: none runs), and the machine is judged
    /// by <see cref="MachineEvent.IdealCycleTime"/>. Recorded on every machine of the line when an order starts, resumes,
    /// pauses or completes.
    /// </summary>
    OrderChanged,
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

    /// <summary>
    /// The work order: the one that runs from now on (<see cref="MachineEventKind.OrderChanged"/>), or the one that ran
    /// at the count's time (<see cref="MachineEventKind.Counted"/>, set by the machine when it records the count); null
    /// when none ran.
    /// </summary>
    [Id(14)] public string? OrderNumber { get; init; }

    /// <summary>The part number of <see cref="OrderNumber"/>.</summary>
    [Id(15)] public string? PartNumber { get; init; }

    /// <summary>
    /// The ideal cycle time in force (<see cref="MachineEventKind.OrderChanged"/>: from now on; <see cref="MachineEventKind.Counted"/>:
    /// at the count's time), so that OEE over any window uses the time that held then and editing master data never
    /// rewrites past figures. Null on counts recorded before the MES kept it: those use the machine's configured time.
    /// </summary>
    [Id(16)] public TimeSpan? IdealCycleTime { get; init; }
}
