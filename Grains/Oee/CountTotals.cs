using MesOrleans.Machines;
using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>Parts counted over a window: the total made and, of those, scrap.</summary>
internal readonly record struct CountTotals(long Total, long Scrap)
{
    /// <summary>
    /// Sums the counts timestamped inside <paramref name="window"/>, skipping those voided. A void counts wherever
    /// its own timestamp is: a correction made after the window still takes the entry out.
    /// </summary>
    public static CountTotals Sum(IEnumerable<MachineEvent> events, TimeRange window)
    {
        var all = events.ToList();
        var voided = all
            .Where(e => e.Kind == MachineEventKind.Voided && e.RefersTo is not null)
            .Select(e => e.RefersTo!.Value)
            .ToHashSet();
        var counted = all.Where(e => e.Kind == MachineEventKind.Counted && window.Contains(e.Timestamp) && !voided.Contains(e.Id)).ToList();
        return new CountTotals(counted.Sum(e => e.TotalDelta), counted.Sum(e => e.ScrapDelta));
    }
}
