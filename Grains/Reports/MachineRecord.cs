using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Reports;

/// <summary>One piece of a stop with one reason: a split stop has several.</summary>
public sealed record StopPiece(DateTimeOffset Start, DateTimeOffset End, string? ReasonCode);

/// <summary>
/// A stop as it stands after every correction, with its pieces; not clipped to the start of the window it was read
/// for. <paramref name="Open"/> stops go on after <paramref name="End"/>: it is the time they were read, or the end of
/// a past window.
/// </summary>
public sealed record RecordedStop(
    Guid StopId, MachineState State, DateTimeOffset Start, DateTimeOffset End, bool Open, IReadOnlyList<StopPiece> Pieces, EventSource Source, string? Actor, string? Note)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>Parts counted or scrapped by a person, and whether a correction took the entry back.</summary>
public sealed record RecordedEntry(Guid Id, DateTimeOffset At, long Total, long Scrap, string? ReasonCode, string? Actor, bool Voided);

/// <summary>A correction (re-code, split, void) with who made it and why; <paramref name="At"/> is the instant it applies to.</summary>
public sealed record RecordedCorrection(
    Guid Id, MachineEventKind Kind, Guid RefersTo, DateTimeOffset At, DateTimeOffset RecordedAt, string? ReasonCode, EventSource Source, string? By, string? Why);

/// <summary>What a supervisor reviews of a machine over a window: its stops, the entries people made, and the corrections.</summary>
public sealed record MachineRecordView(
    DateTimeOffset From, DateTimeOffset To, IReadOnlyList<RecordedStop> Stops, IReadOnlyList<RecordedEntry> Entries, IReadOnlyList<RecordedCorrection> Corrections);

/// <summary>A machine's record over a window, read from the history store, for supervisors to correct.</summary>
public sealed class MachineRecord(IHistoryReader history, PlantCatalog catalog, TimeProvider time)
{
    /// <summary>The machine's record over [from, to), at most <see cref="MachineWindow.MaxWindow"/> long.</summary>
    public async Task<MachineRecordView> ReadAsync(EquipmentPath machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var (plant, events) = await MachineWindow.ReadAsync(history, catalog, machine, from, to, cancellationToken);
        return Build(events, new TimeRange(from, to), time.GetUtcNow(), plant.IsPlannedReason);
    }

    internal static MachineRecordView Build(IReadOnlyList<MachineEvent> events, TimeRange window, DateTimeOffset now, Func<string?, bool> isPlannedReason)
    {
        // Events after the window were not read: what goes on at its end is known only up to there.
        var until = window.End < now ? window.End : now;
        var changes = events.Where(e => e.Kind == MachineEventKind.StateChanged).ToDictionary(e => e.Id);
        var lastChange = changes.Values.MaxBy(e => e.Timestamp);
        var stops = StopTimeline.Build(events, until, isPlannedReason)
            .Where(i => i.State != MachineState.Running)
            .GroupBy(i => i.StopId)
            .Select(g =>
            {
                var opened = changes[g.Key];
                var pieces = g.Select(i => new StopPiece(i.Range.Start, i.Range.End, i.ReasonCode)).ToList();
                return new RecordedStop(
                    g.Key, opened.State!.Value, pieces[0].Start, pieces[^1].End, opened == lastChange, pieces, opened.Source, opened.Actor, opened.Note);
            })
            .Where(s => s.Start < window.End && s.End > window.Start)
            .ToList();

        var voided = events.Where(e => e.Kind == MachineEventKind.Voided && e.RefersTo is not null).Select(e => e.RefersTo!.Value).ToHashSet();
        var entries = events
            .Where(e => e.Kind == MachineEventKind.Counted && e.Source == EventSource.Operator && window.Contains(e.Timestamp))
            .Select(e => new RecordedEntry(e.Id, e.Timestamp, e.TotalDelta, e.ScrapDelta, e.ReasonCode, e.Actor, voided.Contains(e.Id)))
            .ToList();

        var corrections = events
            .Where(e => e.Kind is MachineEventKind.StopRecoded or MachineEventKind.StopSplit or MachineEventKind.Voided && e.RefersTo is not null)
            .OrderBy(e => e.RecordedAt)
            .Select(e => new RecordedCorrection(e.Id, e.Kind, e.RefersTo!.Value, e.Timestamp, e.RecordedAt, e.ReasonCode, e.Source, e.Actor, e.Note))
            .ToList();
        return new MachineRecordView(window.Start, window.End, stops, entries, corrections);
    }
}
