using MesOrleans.Machines;

namespace MesOrleans.History;

/// <summary>
/// The append-only system of record of what happened on every machine. Writes are batched off the grains'
/// hot path; reads serve reports and OEE over past windows, never "what is happening now".
/// </summary>
public interface IHistoryStore
{
    /// <summary>
    /// Queues an event for writing and returns at once. Queued events are written within a second and on
    /// graceful shutdown. Appending an event whose id was already written is a no-op (idempotent).
    /// </summary>
    void Append(MachineEvent machineEvent);

    /// <summary>Completes when every event queued before the call is written.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// What it takes to rebuild a machine's window [from, to): every event whose timestamp is in the window,
    /// the last <see cref="MachineEventKind.StateChanged"/> before it (the state in effect at the start), and every
    /// correction (recode, split, void) that refers to one of those events or, transitively, to such a correction,
    /// whatever its own timestamp. State changes cannot be voided, so the state in effect is never a cancelled one.
    /// Ordered by timestamp, then by the order written.
    /// </summary>
    Task<IReadOnlyList<MachineEvent>> ReadWindowAsync(string machineId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>One event of a machine by its id, or null.</summary>
    Task<MachineEvent?> FindAsync(string machineId, Guid id, CancellationToken cancellationToken = default);

    /// <summary>The machine's newest events by the time they were recorded, newest first.</summary>
    Task<IReadOnlyList<MachineEvent>> ReadRecentAsync(string machineId, int count, CancellationToken cancellationToken = default);
}
