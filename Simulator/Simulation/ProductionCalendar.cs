using MesOrleans.Plant;
using MesOrleans.Shifts;
using MesOrleans.Time;

namespace MesOrleans.Simulator;

/// <summary>
/// A site's shifts and breaks as phases in UTC, so that machines know when to produce and when they stand still.
/// Shift and break times are local times of the site's time zone and follow daylight-saving changes; as in the MES's
/// own calendar, a shift whose end is not after its start crosses midnight, a break earlier in the day than its shift's
/// start lies after midnight, and a local time that the clocks skip starts at the end of the gap.
/// </summary>
internal sealed class ProductionCalendar
{
    // Phases are worked out for a day ahead at a time; a machine asks again when that horizon is reached.
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(1);

    private readonly TimeZoneInfo _timeZone;
    private readonly IReadOnlyList<Shift> _shifts;

    private ProductionCalendar(TimeZoneInfo timeZone, IReadOnlyList<Shift> shifts)
    {
        _timeZone = timeZone;
        _shifts = shifts;
    }

    /// <summary>The calendar of a validated site model.</summary>
    public static ProductionCalendar Create(SiteModel site) =>
        new(
            TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone),
            site.Shifts.Select(s => new Shift(
                ShiftTime.Parse(s.Start),
                ShiftTime.Parse(s.End),
                s.Breaks.Select(b => (ShiftTime.Parse(b.Start), ShiftTime.Parse(b.End))).ToList()))
            .ToList());

    /// <summary>The phase at <paramref name="at"/> and how long it lasts, at most a day ahead.</summary>
    public CalendarPhase PhaseAt(DateTimeOffset at)
    {
        var horizon = at + Horizon;
        var shifts = new List<TimeRange>();
        var working = new List<TimeRange>();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _timeZone).DateTime);

        // A shift lasts at most a day (plus a daylight-saving hour), so the shifts starting from two days before
        // until two days after cover every instant up to the horizon.
        for (var day = today.AddDays(-2); day <= today.AddDays(2); day = day.AddDays(1))
        {
            foreach (var (start, end, breaks) in _shifts)
            {
                var shift = Local(day, start, end);
                shifts.Add(shift);
                var pauses = breaks
                    .Select(b => Local(b.Start < start ? day.AddDays(1) : day, b.Start, b.End).Intersect(shift))
                    .OfType<TimeRange>()
                    .OrderBy(b => b.Start)
                    .ToList();
                var cursor = shift.Start;
                foreach (var pause in pauses)
                {
                    if (pause.Start > cursor)
                    {
                        working.Add(new TimeRange(cursor, pause.Start));
                    }

                    cursor = pause.End > cursor ? pause.End : cursor;
                }

                if (cursor < shift.End)
                {
                    working.Add(new TimeRange(cursor, shift.End));
                }
            }
        }

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

    // An end that is not after the start is on the next day: 22:00–06:00 crosses midnight, 06:00–06:00 is a whole day.
    private TimeRange Local(DateOnly day, TimeOnly start, TimeOnly end) =>
        new(ToUtc(day.ToDateTime(start)), ToUtc((end <= start ? day.AddDays(1) : day).ToDateTime(end)));

    private DateTimeOffset ToUtc(DateTime local)
    {
        // Shift times are whole minutes, so stepping by a minute finds the end of a spring-forward gap exactly.
        while (_timeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // In the hour the clocks go back a local time happens twice: the earlier instant has the larger offset.
        var offset = _timeZone.IsAmbiguousTime(local) ? _timeZone.GetAmbiguousTimeOffsets(local).Max() : _timeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private sealed record Shift(TimeOnly Start, TimeOnly End, IReadOnlyList<(TimeOnly Start, TimeOnly End)> Breaks);
}
