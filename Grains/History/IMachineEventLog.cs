using MesOrleans.Machines;
using MesOrleans.Telemetry;

namespace MesOrleans.History;

/// <summary>
/// The write side of the machines' event log, for machine grains. Every event a machine grain accepts is appended
/// here before the grain applies it or answers, so live state rebuilt from the log never disagrees with history.
/// </summary>
public interface IMachineEventLog : IHistoryReader
{
    /// <summary>
    /// Appends the events and, when given, the machine's telemetry watermark, in one transaction (group-committed with
    /// other machines' appends); completes once they are durable. An event already in the log under the same number
    /// and id is skipped, so a retried append changes nothing; a different event under a number already taken throws
    /// <see cref="EventLogConflictException"/> and appends nothing.
    /// </summary>
    Task AppendAsync(MachineAppend append);

    /// <summary>The machine's events numbered after <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<MachineEvent>> ReadAfterAsync(string machineId, long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// The machine's events tagged with work order <paramref name="orderNumber"/> (its counts and the voids of them)
    /// numbered after <paramref name="afterSequence"/>, in order, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<MachineEvent>> ReadOrderAfterAsync(string machineId, string orderNumber, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The highest event number of the machine, or 0 when it has none.</summary>
    Task<long> ReadLastSequenceAsync(string machineId, CancellationToken cancellationToken = default);

    /// <summary>The newest telemetry watermark appended for the machine, or null.</summary>
    Task<TelemetryWatermark?> ReadWatermarkAsync(string machineId, CancellationToken cancellationToken = default);
}

/// <summary>What one machine appends at once: events numbered consecutively, and its telemetry watermark.</summary>
public sealed record MachineAppend(string MachineId, IReadOnlyList<MachineEvent> Events, TelemetryWatermark? Watermark = null);

/// <summary>Another event already holds a number this append claims: the appending activation is stale.</summary>
public sealed class EventLogConflictException(string message) : Exception(message);
