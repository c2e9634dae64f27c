using MesOrleans.Plant;
using MesOrleans.Shifts;
using MesOrleans.Time;

namespace MesOrleans.Simulator;

/// <summary>
/// A site's shifts and breaks as phases in UTC, so that machines know when to produce and when they stand still.
/// Shift and break times are local times of the site's time zone and follow daylight-saving changes; as in the MES's
/// own calendar (it is built on it), a shift whose end is not after its start crosses midnight, a break earlier in the day than its shift's
/// start lies after midnight, and a local time that the clocks skip starts at the end of the gap. Weekdays, holidays,
/// extra shifts and planned stops come with it: a planned stop inside a shift is planned time like a break.
/// </summary>
internal sealed class ProductionCalendar
{
    // Phases are worked out for a day ahead at a time; a machine asks again when that horizon is reached.
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(1);

    private readonly ShiftCalendar _calendar;

    private ProductionCalendar(ShiftCalendar calendar) => _calendar = calendar;

    public static ProductionCalendar Create(SiteModel site) => new(ShiftCalendar.ForSite(site));

    public CalendarPhase PhaseAt(DateTimeOffset at)
    {
        var horizon = at + Horizon;

        // The same calendar as the MES's OEE: shifts in UTC, and production time = shift time minus breaks.
        var around = new TimeRange(at - TimeSpan.FromDays(2), at + TimeSpan.FromDays(2));
        var shifts = _calendar.Occurrences(around).Select(o => o.Range).ToList();
        var working = _calendar.PlannedProductionTime(around).ToList();

        // The phase lasts until the kind of time changes at one of the boundaries ahead.
        var kind = KindAt(at, shifts, working);
        var boundaries = shifts.Concat(working)
            .SelectMany(r => new[] { r.Start, r.End })
            .Where(b => b > at && b < horizon)
            .Order();
        foreach (var boundary in boundaries)
        {
            if (KindAt(boundary, shifts, working) != kind)
            {
                return new CalendarPhase(kind, boundary);
            }
        }

        return new CalendarPhase(kind, horizon);
    }

    private static PhaseKind KindAt(DateTimeOffset instant, List<TimeRange> shifts, List<TimeRange> working) =>
        working.Any(r => r.Contains(instant)) ? PhaseKind.Production
        : shifts.Any(r => r.Contains(instant)) ? PhaseKind.Break
        : PhaseKind.OffShift;
}
