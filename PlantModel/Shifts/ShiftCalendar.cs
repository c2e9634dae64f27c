using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Shifts;

/// <summary>
/// A site's shifts laid out on the time line. Shift and break times are local times of the site's time zone; every
/// occurrence comes out in UTC, with daylight-saving days as long or as short as the clocks make them. A shift runs on
/// the weekdays it names (every day when it names none) unless its start day is a holiday; one-off extra shifts run on
/// their date, holiday or not; planned stops entered in advance are taken out of the shifts they overlap, as breaks are.
/// </summary>
public sealed class ShiftCalendar
{
    // A shift that starts on a local day ends by the end of the next one, so the day before a range can reach into
    // it. One more day either side absorbs the hour by which a daylight-saving change moves local midnight.
    private const int MarginDays = 1;

    // A week holds the last shift of a weekly calendar; holidays (a works' closing over Christmas) may reach further.
    private static readonly TimeSpan[] LookBacks = [TimeSpan.FromDays(8), TimeSpan.FromDays(62), TimeSpan.FromDays(400)];

    // UTC offsets lie within ±14 h, so the instant a local time is read at lies within 15 h of that time read as UTC.
    private static readonly TimeSpan MaxOffset = TimeSpan.FromHours(15);

    private readonly IReadOnlyList<Shift> _shifts;
    private readonly IReadOnlySet<DateOnly> _holidays;
    private readonly IReadOnlyList<(DateOnly Day, Shift Shift)> _extraShifts;
    private readonly IReadOnlyList<(DateOnly Day, TimeOnly Start, TimeOnly End)> _plannedStops;

    private ShiftCalendar(
        TimeZoneInfo timeZone,
        IReadOnlyList<Shift> shifts,
        IReadOnlySet<DateOnly> holidays,
        IReadOnlyList<(DateOnly, Shift)> extraShifts,
        IReadOnlyList<(DateOnly, TimeOnly, TimeOnly)> plannedStops)
    {
        TimeZone = timeZone;
        _shifts = shifts;
        _holidays = holidays;
        _extraShifts = extraShifts;
        _plannedStops = plannedStops;
    }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The calendar of a validated site: its shifts, holidays and calendar exceptions.</summary>
    public static ShiftCalendar ForSite(SiteModel site) => Create(site.TimeZone, site.Shifts, site.Holidays, site.CalendarExceptions);

    /// <summary>A calendar from a site's validated calendar models; an IANA time zone id such as Europe/Berlin.</summary>
    public static ShiftCalendar Create(
        string timeZoneId,
        IReadOnlyList<ShiftModel> shifts,
        IReadOnlyList<string>? holidays = null,
        IReadOnlyList<CalendarExceptionModel>? exceptions = null)
    {
        exceptions ??= [];
        return new(
            TimeZoneInfo.FindSystemTimeZoneById(timeZoneId),
            shifts.Select(s => ShiftOf(s.Name, s.Start, s.End, s.Breaks, s.Days)).ToList(),
            (holidays ?? []).Select(CalendarText.ParseDate).ToHashSet(),
            exceptions.Where(e => e.Kind == CalendarExceptionModel.ShiftKind)
                .Select(e => (CalendarText.ParseDate(e.Date), ShiftOf(e.Name, e.Start, e.End, e.Breaks ?? [], days: null)))
                .ToList(),
            exceptions.Where(e => e.Kind == CalendarExceptionModel.PlannedStopKind)
                .Select(e => (CalendarText.ParseDate(e.Date), ShiftTime.Parse(e.Start), ShiftTime.Parse(e.End)))
                .ToList());
    }

    /// <summary>Every shift occurrence overlapping <paramref name="range"/>, ordered by start and not clipped.</summary>
    public IReadOnlyList<ShiftOccurrence> Occurrences(TimeRange range)
    {
        if (_shifts.Count == 0 && _extraShifts.Count == 0)
        {
            return [];
        }

        var first = LocalDate(range.Start).AddDays(-1 - MarginDays);
        var last = LocalDate(range.End).AddDays(MarginDays);
        var planned = new List<(DateOnly Day, Shift Shift)>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (!_holidays.Contains(day))
            {
                planned.AddRange(_shifts.Where(s => s.RunsOn(day)).Select(s => (day, s)));
            }
        }

        planned.AddRange(_extraShifts.Where(x => x.Day >= first && x.Day <= last));
        var stops = PlannedStops(first, last);
        return planned
            .Select(x => Occur(x.Shift, x.Day, stops))
            // A shift lying wholly in a spring-forward gap takes no time and so is not there at all.
            .Where(o => !o.Range.IsEmpty && o.Range.Overlaps(range))
            .OrderBy(o => o.Range.Start)
            .ToList();
    }

    /// <summary>
    /// The occurrence containing <paramref name="at"/> (the one that started last when shifts overlap); else the one
    /// that ended last at or before it, looking back up to 400 days; null when there is none.
    /// </summary>
    public ShiftOccurrence? CurrentOrLast(DateTimeOffset at)
    {
        foreach (var lookBack in LookBacks)
        {
            var candidates = Occurrences(new TimeRange(at - lookBack, at.AddTicks(1)));
            if ((candidates.LastOrDefault(o => o.Range.Contains(at))
                 ?? candidates.Where(o => o.Range.End <= at).OrderBy(o => o.Range.End).LastOrDefault()) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// The local calendar day as [midnight, next midnight) in UTC. Where clocks jump over midnight the day starts when
    /// they show the first time after the gap; daylight-saving days are 23 or 25 hours long.
    /// </summary>
    public TimeRange Day(DateOnly day) => new(ToUtc(day.ToDateTime(TimeOnly.MinValue)), ToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue)));

    /// <summary>The local date at an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>
    /// Shift time minus breaks within <paramref name="range"/>, as a sorted set: time covered by overlapping shifts
    /// counts once.
    /// </summary>
    public IReadOnlyList<TimeRange> PlannedProductionTime(TimeRange range)
    {
        var working = Occurrences(range).SelectMany(o => TimeRanges.Subtract([o.Range], TimeRanges.Normalize(o.Breaks)));
        return TimeRanges.Intersect(TimeRanges.Normalize(working), TimeRanges.Normalize([range]));
    }

    private static Shift ShiftOf(string name, string start, string end, IReadOnlyList<BreakModel> breaks, IReadOnlyList<string>? days) =>
        new(
            name,
            ShiftTime.Parse(start),
            ShiftTime.Parse(end),
            breaks.Select(b => (ShiftTime.Parse(b.Start), ShiftTime.Parse(b.End))).ToList(),
            days?.Select(CalendarText.ParseWeekday).ToHashSet());

    // Planned stops of the days around a range; one may start the day before and reach into it.
    private List<TimeRange> PlannedStops(DateOnly first, DateOnly last) =>
        _plannedStops
            .Where(p => p.Day >= first.AddDays(-1) && p.Day <= last)
            .Select(p => LocalRange(p.Day, p.Start, p.End))
            .ToList();

    private ShiftOccurrence Occur(Shift shift, DateOnly day, IReadOnlyList<TimeRange> plannedStops)
    {
        var range = LocalRange(day, shift.Start, shift.End);
        var breaks = shift.Breaks
            // A break earlier in the day than its shift's start lies after midnight, in a shift that crosses it.
            .Select(b => LocalRange(b.Start < shift.Start ? day.AddDays(1) : day, b.Start, b.End))
            .Concat(plannedStops)
            .Select(b => b.Intersect(range))
            .OfType<TimeRange>();
        return new ShiftOccurrence(shift.Name, day, range, TimeRanges.Normalize(breaks));
    }

    // An end that is not after the start is on the next day: 22:00–06:00 crosses midnight, 06:00–06:00 is a whole day.
    private TimeRange LocalRange(DateOnly day, TimeOnly start, TimeOnly end) =>
        new(ToUtc(day.ToDateTime(start)), ToUtc((end <= start ? day.AddDays(1) : day).ToDateTime(end)));

    private DateTimeOffset ToUtc(DateTime local)
    {
        if (TimeZone.IsInvalidTime(local))
        {
            return EndOfGap(local);
        }

        // In the hour the clocks go back, a local time happens twice: the earlier instant, still on daylight time,
        // is the larger offset. (GetUtcOffset would answer the standard offset.)
        var offset = TimeZone.IsAmbiguousTime(local) ? TimeZone.GetAmbiguousTimeOffsets(local).Max() : TimeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    // A local time in a spring-forward gap never shows on the clock; it maps to the first instant after the gap,
    // the earliest instant whose wall-clock time has reached it. Around a gap the wall clock only moves forward,
    // so a binary search over the instants within the widest offset finds it exactly.
    private DateTimeOffset EndOfGap(DateTime local)
    {
        var asUtc = new DateTimeOffset(local.Ticks, TimeSpan.Zero);
        var before = (asUtc - MaxOffset).UtcTicks;
        var after = (asUtc + MaxOffset).UtcTicks;
        while (after - before > 1)
        {
            var middle = before + ((after - before) / 2);
            if (WallClockTicks(middle) >= local.Ticks)
            {
                after = middle;
            }
            else
            {
                before = middle;
            }
        }

        return new DateTimeOffset(after, TimeSpan.Zero);
    }

    private long WallClockTicks(long utcTicks)
    {
        var instant = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return utcTicks + TimeZone.GetUtcOffset(instant).Ticks;
    }

    // Days null: every day.
    private sealed record Shift(
        string Name, TimeOnly Start, TimeOnly End, IReadOnlyList<(TimeOnly Start, TimeOnly End)> Breaks, IReadOnlySet<DayOfWeek>? Days)
    {
        public bool RunsOn(DateOnly day) => Days is null || Days.Contains(day.DayOfWeek);
    }
}
