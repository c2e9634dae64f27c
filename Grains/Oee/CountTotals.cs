using MesOrleans.Machines;
using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>
/// Parts counted over a window: the total made and, of those, scrap; and the ideal time of those parts (ideal cycle
/// time × parts), each count at the cycle time in force at its own time, so that a product change or an edit of master
/// data never rewrites past figures.
/// </summary>
internal readonly record struct CountTotals(long Total, long Scrap, TimeSpan IdealRunTime, TimeSpan IdealGoodTime)
{
    /// <summary>
    /// Sums the counts timestamped inside <paramref name="window"/>, skipping those voided. A void counts wherever
    /// its own timestamp is: a correction made after the window still takes the entry out. Counts recorded before the
    /// MES kept their cycle time are at <paramref name="configuredCycleTime"/>.
    /// </summary>
    public static CountTotals Sum(IEnumerable<MachineEvent> events, TimeRange window, TimeSpan configuredCycleTime)
    {
        var all = events.ToList();
        var voided = all
            .Where(e => e.Kind == MachineEventKind.Voided && e.RefersTo is not null)
            .Select(e => e.RefersTo!.Value)
            .ToHashSet();
        var counted = all.Where(e => e.Kind == MachineEventKind.Counted && window.Contains(e.Timestamp) && !voided.Contains(e.Id)).ToList();
        return new CountTotals(
            counted.Sum(e => e.TotalDelta),
            counted.Sum(e => e.ScrapDelta),
            counted.Aggregate(TimeSpan.Zero, (sum, e) => sum + ((e.IdealCycleTime ?? configuredCycleTime) * e.TotalDelta)),
            counted.Aggregate(TimeSpan.Zero, (sum, e) => sum + ((e.IdealCycleTime ?? configuredCycleTime) * (e.TotalDelta - e.ScrapDelta))));
    }
}
