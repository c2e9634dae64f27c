using MesOrleans.Telemetry;

namespace MesOrleans.Machines;

/// <summary>
/// A machine grain's snapshot: its settings, its live state and the current shift's timeline and counters, as of
/// event <see cref="LastSequence"/> of its log. The log is the record; on activation the grain replays the events
/// after the snapshot. Older shifts live only in the history store. Stored as JSON (System.Text.Json): add
/// properties freely, never rename them.
/// </summary>
public sealed class MachineGrainState
{
    /// <summary>
    /// The number of the newest log event this snapshot includes; null in a snapshot written before the event log,
    /// which included all of its machine's history.
    /// </summary>
    public long? LastSequence { get; set; }

    /// <summary>The telemetry queue's id of the last message applied (see <see cref="TelemetryWatermark"/>).</summary>
    public long QueueOffset { get; set; }

    public MachineConfig? Config { get; set; }

    public long PlantVersion { get; set; }

    public bool Retired { get; set; }

    /// <summary>The newest state change by event time: what the machine is doing now.</summary>
    public MachineEvent? Current { get; set; }

    /// <summary>The reason of the current state, after recodes and splits.</summary>
    public string? CurrentReason { get; set; }

    /// <summary>A person gave the current reason: the PLC's codes no longer change it.</summary>
    public bool CurrentReasonByOperator { get; set; }

    public ShiftWindow? Shift { get; set; }

    /// <summary>The shift's state changes (the first one may precede the shift: it was in effect at its start), recodes and splits.</summary>
    public List<MachineEvent> ShiftTimeline { get; set; } = [];

    public long ShiftTotal { get; set; }

    public long ShiftScrap { get; set; }

    /// <summary>Of <see cref="ShiftScrap"/>, what the machine counted itself (without a reason).</summary>
    public long ShiftMachineScrap { get; set; }

    /// <summary>Of <see cref="ShiftMachineScrap"/>, what people have since given a reason.</summary>
    public long ShiftScrapReasoned { get; set; }

    /// <summary>
    /// Ideal cycle time × parts made this shift, each count at the cycle time in force at its time; null in a snapshot
    /// from before the MES kept it (then the configured time × the counters).
    /// </summary>
    public TimeSpan? ShiftIdealRunTime { get; set; }

    /// <summary>Ideal cycle time × good parts this shift, as <see cref="ShiftIdealRunTime"/>.</summary>
    public TimeSpan? ShiftIdealGoodTime { get; set; }

    /// <summary>
    /// The newest work-order changes of the machine's line (<see cref="MachineEventKind.OrderChanged"/>), by event time,
    /// so that a count is tagged with the order in force at its own time, a late one too.
    /// </summary>
    public List<MachineEvent> OrderChanges { get; set; } = [];

    /// <summary>Count and scrap entries people made this shift, so that voiding one corrects the live counters.</summary>
    public List<MachineEvent> ShiftEntries { get; set; } = [];

    public HashSet<Guid> ShiftVoided { get; set; } = [];

    /// <summary>The newest events, newest first, for the operator's "last events" list.</summary>
    public List<MachineEvent> Recent { get; set; } = [];

    /// <summary>Where the machine's cumulative counters and sequence numbers stood at the last telemetry message.</summary>
    public TelemetryCursor Cursor { get; set; } = new();

    /// <summary>The machine sends counts: people record scrap, not good parts.</summary>
    public bool CountsByTelemetry { get; set; }

    /// <summary>The machine sends states; without them, a silence in counts opens a stop.</summary>
    public bool ReportsState { get; set; }

    /// <summary>When the last telemetry message arrived, and the event time it carried.</summary>
    public DateTimeOffset? LastTelemetryArrival { get; set; }

    public DateTimeOffset? LastTelemetryTime { get; set; }

    /// <summary>When the last count that added parts arrived, and its event time.</summary>
    public DateTimeOffset? LastCountArrival { get; set; }

    public DateTimeOffset? LastCountTime { get; set; }

    /// <summary>The last breakdown stop reported to maintenance, so that each stop calls maintenance once.</summary>
    public Guid? BreakdownReported { get; set; }
}
