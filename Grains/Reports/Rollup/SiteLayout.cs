using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MesOrleans.Shifts;
using MesOrleans.Time;

namespace MesOrleans.Reports.Rollup;

/// <summary>What a piece of a site's day is in its shift calendar: shift time to produce in, a break, or outside every shift.</summary>
public enum SegmentKind
{
    /// <summary>Shift time less breaks and planned stops: planned production time.</summary>
    Work = 0,

    /// <summary>A break or a planned stop within a shift.</summary>
    Break = 1,

    /// <summary>Outside every shift.</summary>
    Outside = 2,
}

/// <summary>
/// Where rollups file time and counts: a local day of the site, the shift occurrence (its start in UTC ticks, 0
/// outside every shift) and what the time is in it. One key may cover several pieces of a day (two breaks of a shift).
/// </summary>
public readonly record struct SegmentKey(DateOnly Day, long ShiftStart, SegmentKind Kind);

/// <summary>One piece of a site's calendar: its time, its key and the shift's name (empty outside shifts).</summary>
public sealed record CalendarSegment(TimeRange Range, SegmentKey Key, string ShiftName)
{
    public bool IsWork => Key.Kind == SegmentKind.Work;
}

/// <summary>
/// A site's shift calendar cut into the pieces rollups file under: local days, shift occurrences, and work, break or
/// outside within them. Planned production time is exactly the work pieces. Each day's layout has a fingerprint, so
/// that a day filed under a calendar that has changed since (a holiday entered later, a moved break) is recognised and
/// read from finer data until it is filed again.
/// </summary>
public sealed class SiteLayout(ShiftCalendar calendar)
{
    private readonly ConcurrentDictionary<DateOnly, IReadOnlyList<CalendarSegment>> _days = new();
    private readonly ConcurrentDictionary<DateOnly, string> _fingerprints = new();

    public ShiftCalendar Calendar { get; } = calendar;

    public DateOnly DayOf(DateTimeOffset instant) => Calendar.LocalDate(instant);

    /// <summary>The pieces of <paramref name="range"/>, in order, covering it exactly.</summary>
    public IReadOnlyList<CalendarSegment> Segments(TimeRange range)
    {
        if (range.IsEmpty)
        {
            return [];
        }

        var result = new List<CalendarSegment>();
        for (var day = DayOf(range.Start); ; day = day.AddDays(1))
        {
            var pieces = OfDay(day);
            if (pieces.Count == 0 || pieces[0].Range.Start >= range.End)
            {
                break;
            }

            foreach (var piece in pieces)
            {
                if (piece.Range.Intersect(range) is { } common)
                {
                    result.Add(common == piece.Range ? piece : piece with { Range = common });
                }
            }
        }

        return result;
    }

    /// <summary>The piece an instant lies in.</summary>
    public CalendarSegment SegmentAt(DateTimeOffset instant)
    {
        var pieces = OfDay(DayOf(instant));
        return pieces.FirstOrDefault(p => p.Range.Contains(instant)) ?? pieces[^1];
    }

    /// <summary>The pieces of a local day, in order; cached, as a day's layout never changes within one plant model.</summary>
    public IReadOnlyList<CalendarSegment> OfDay(DateOnly day) => _days.GetOrAdd(day, Build);

    /// <summary>A short text that differs when the day's layout differs: its pieces, their shifts and kinds.</summary>
    public string Fingerprint(DateOnly day) => _fingerprints.GetOrAdd(day, d =>
    {
        var text = new StringBuilder();
        foreach (var piece in OfDay(d))
        {
            text.Append(CultureInfo.InvariantCulture, $"{piece.Range.Start.UtcTicks}-{piece.Range.End.UtcTicks}:{piece.Key.ShiftStart}:{(int)piece.Key.Kind}:{piece.ShiftName};");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    });

    private IReadOnlyList<CalendarSegment> Build(DateOnly day)
    {
        var dayRange = Calendar.Day(day);
        var inShifts = new List<CalendarSegment>();
        foreach (var occurrence in Calendar.Occurrences(dayRange))
        {
            if (occurrence.Range.Intersect(dayRange) is not { } shift)
            {
                continue;
            }

            var start = occurrence.Range.Start.UtcTicks;
            var breaks = TimeRanges.Intersect(occurrence.Breaks, [shift]);
            inShifts.AddRange(TimeRanges.Subtract([shift], breaks).Select(r => new CalendarSegment(r, new SegmentKey(day, start, SegmentKind.Work), occurrence.Name)));
            inShifts.AddRange(breaks.Select(r => new CalendarSegment(r, new SegmentKey(day, start, SegmentKind.Break), occurrence.Name)));
        }

        // Shifts of a site never overlap, so what is left of the day is outside every shift.
        var outside = TimeRanges.Subtract([dayRange], TimeRanges.Normalize(inShifts.Select(s => s.Range)))
            .Select(r => new CalendarSegment(r, new SegmentKey(day, 0, SegmentKind.Outside), ""));
        return inShifts.Concat(outside).OrderBy(s => s.Range.Start).ToList();
    }
}
