using MesOrleans.Machines;
using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>Rebuilds what a machine was doing from its state changes and the corrections made to its stops.</summary>
internal static class StopTimeline
{
    /// <summary>
    /// The machine's state intervals up to <paramref name="until"/>, ordered by start. Each state change opens an
    /// interval that lasts until the next one (or <paramref name="until"/>); a change that lasted no time, such as
    /// the first of two at the same instant, leaves no interval. Corrections apply whatever their own timestamp: a
    /// recode made today changes last month's stop.
    /// </summary>
    public static IReadOnlyList<StateInterval> Build(IEnumerable<MachineEvent> events, DateTimeOffset until, Func<string?, bool> isPlannedReason)
    {
        var all = events.ToList();
        var changes = all
            .Where(e => e.Kind == MachineEventKind.StateChanged && e.State is not null && e.Timestamp < until)
            .OrderBy(e => e.Timestamp)
            .ToList();
        var recodes = LastRecodes(all);
        var splits = all
            .Where(e => e.Kind == MachineEventKind.StopSplit && e.RefersTo is not null)
            .OrderBy(e => e.Timestamp)
            .ThenBy(e => e.RecordedAt)
            .ToLookup(e => e.RefersTo!.Value);

        var intervals = new List<StateInterval>();
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var stop = new TimeRange(change.Timestamp, i + 1 < changes.Count ? changes[i + 1].Timestamp : until);
            var state = change.State!.Value;

            // A recode replaces the reason the stop was opened with. On a split stop that reason only holds until the
            // first split, so the recode changes only that part: each split names its own reason from its instant on,
            // and only a later split of that part replaces it.
            var start = stop.Start;
            var reason = recodes.TryGetValue(change.Id, out var recoded) ? recoded.ReasonCode : change.ReasonCode;
            foreach (var split in splits[change.Id].Where(s => stop.Contains(s.Timestamp)))
            {
                Add(new TimeRange(start, split.Timestamp), reason);
                start = split.Timestamp;
                reason = split.ReasonCode;
            }

            Add(new TimeRange(start, stop.End), reason);

            void Add(TimeRange piece, string? pieceReason)
            {
                if (!piece.IsEmpty)
                {
                    var planned = state == MachineState.Planned || isPlannedReason(pieceReason);
                    intervals.Add(new StateInterval(piece, state, pieceReason, change.Id, planned, stop.Duration));
                }
            }
        }

        return intervals;
    }

    // When a stop was recoded several times, the recode recorded last wins; of two recorded at once, the later one in the input.
    private static Dictionary<Guid, MachineEvent> LastRecodes(IEnumerable<MachineEvent> events) =>
        events
            .Where(e => e.Kind == MachineEventKind.StopRecoded && e.RefersTo is not null)
            .OrderBy(e => e.RecordedAt)
            .GroupBy(e => e.RefersTo!.Value)
            .ToDictionary(g => g.Key, g => g.Last());
}
