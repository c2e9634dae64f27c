using MesOrleans.Machines;

namespace MesOrleans.History;

/// <summary>
/// Reads the machines' event log, the system of record of what happened: reports and OEE over past windows, never
/// "what is happening now" (that comes from the grains). Read-only, on the store's own connections, so that a web
/// app can use it without reaching into a silo.
/// </summary>
public interface IHistoryReader
{
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
