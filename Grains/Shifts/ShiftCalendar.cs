using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Shifts;

/// <summary>
/// A site's shifts laid out on the time line. Shift and break times are local times of the site's time zone; every
/// occurrence comes out in UTC, with daylight-saving days as long or as short as the clocks make them.
/// </summary>
public sealed class ShiftCalendar
{
    // A shift that starts on a local day ends by the end of the next one, so the day before a range can reach into
    // it. One more day either side absorbs the hour by which a daylight-saving change moves local midnight.
    private const int MarginDays = 1;

    private static readonly TimeSpan LookBack = TimeSpan.FromDays(8);

    // UTC offsets lie within ±14 h, so the instant a local time is read at lies within 15 h of that time read as UTC.
    private static readonly TimeSpan MaxOffset = TimeSpan.FromHours(15);

    private readonly IReadOnlyList<Shift> _shifts;

    private ShiftCalendar(TimeZoneInfo timeZone, IReadOnlyList<Shift> shifts)
    {
        TimeZone = timeZone;
        _shifts = shifts;
    }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>A calendar from a site's validated shift models; an IANA time zone id such as Europe/Berlin.</summary>
    public static ShiftCalendar Create(string timeZoneId, IReadOnlyList<ShiftModel> shifts) =>
        new(
            TimeZoneInfo.FindSystemTimeZoneById(timeZoneId),
            shifts.Select(s => new Shift(
                s.Name,
                ShiftTime.Parse(s.Start),
                ShiftTime.Parse(s.End),
                s.Breaks.Select(b => (ShiftTime.Parse(b.Start), ShiftTime.Parse(b.End))).ToList())).ToList());

    /// <summary>Every shift occurrence overlapping <paramref name="range"/>, ordered by start and not clipped.</summary>
    public IReadOnlyList<ShiftOccurrence> Occurrences(TimeRange range)
    {
        if (_shifts.Count == 0)
        {
            return [];
        }

        var first = LocalDate(range.Start).AddDays(-1 - MarginDays);
        var last = LocalDate(range.End).AddDays(MarginDays);
        var occurrences = new List<ShiftOccurrence>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            foreach (var shift in _shifts)
            {
                var occurrence = Occur(shift, day);
                // A shift lying wholly in a spring-forward gap takes no time and so is not there at all.
                if (!occurrence.Range.IsEmpty && occurrence.Range.Overlaps(range))
                {
                    occurrences.Add(occurrence);
                }
            }
        }

        return occurrences.OrderBy(o => o.Range.Start).ToList();
    }

    /// <summary>
    /// The occurrence containing <paramref name="at"/> (the one that started last when shifts overlap); else the one
    /// that ended last at or before it, looking back up to 8 days; null when there is none.
    /// </summary>
    public ShiftOccurrence? CurrentOrLast(DateTimeOffset at)
    {
        var candidates = Occurrences(new TimeRange(at - LookBack, at.AddTicks(1)));
        return candidates.LastOrDefault(o => o.Range.Contains(at))
            ?? candidates.Where(o => o.Range.End <= at).OrderBy(o => o.Range.End).LastOrDefault();
    }

    /// <summary>
    /// Shift time minus breaks within <paramref name="range"/>, as a sorted set: time covered by overlapping shifts
    /// counts once.
    /// </summary>
    public IReadOnlyList<TimeRange> PlannedProductionTime(TimeRange range)
    {
        var working = Occurrences(range).SelectMany(o => TimeRanges.Subtract([o.Range], TimeRanges.Normalize(o.Breaks)));
        return TimeRanges.Intersect(TimeRanges.Normalize(working), TimeRanges.Normalize([range]));
    }

    private ShiftOccurrence Occur(Shift shift, DateOnly day)
    {
        var range = LocalRange(day, shift.Start, shift.End);
        var breaks = shift.Breaks
            // A break earlier in the day than its shift's start lies after midnight, in a shift that crosses it.
            .Select(b => LocalRange(b.Start < shift.Start ? day.AddDays(1) : day, b.Start, b.End).Intersect(range))
            .OfType<TimeRange>()
            .OrderBy(b => b.Start)
            .ToList();
        return new ShiftOccurrence(shift.Name, day, range, breaks);
    }

    // An end that is not after the start is on the next day: 22:00–06:00 crosses midnight, 06:00–06:00 is a whole day.
    private TimeRange LocalRange(DateOnly day, TimeOnly start, TimeOnly end) =>
        new(ToUtc(day.ToDateTime(start)), ToUtc((end <= start ? day.AddDays(1) : day).ToDateTime(end)));

    private DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

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

    private sealed record Shift(string Name, TimeOnly Start, TimeOnly End, IReadOnlyList<(TimeOnly Start, TimeOnly End)> Breaks);
}
