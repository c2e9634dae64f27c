using System.Globalization;

namespace MesOrleans.Plant;

/// <summary>
/// A span of local clock time as the plant model writes shifts and breaks: it may cross midnight (22:00–06:00),
/// and equal start and end mean a whole day. Comparisons work on minutes of a day that repeats, so a night shift
/// is compared with the morning after as well as with the evening before.
/// </summary>
internal readonly record struct TimeOfDayRange
{
    private const int MinutesPerDay = 24 * 60;

    public TimeOfDayRange(TimeOnly start, TimeOnly end)
    {
        Start = start;
        End = end;
        StartMinute = MinuteOfDay(start);
        var length = Modulo(MinuteOfDay(end) - StartMinute);
        LengthMinutes = length == 0 ? MinutesPerDay : length;
    }

    public TimeOnly Start { get; }

    public TimeOnly End { get; }

    /// <summary>Minutes after midnight at which the range starts.</summary>
    public int StartMinute { get; }

    /// <summary>1 to 1440 minutes.</summary>
    public int LengthMinutes { get; }

    /// <summary>True when <paramref name="inner"/> starts and ends within this range.</summary>
    public bool Contains(TimeOfDayRange inner) =>
        Modulo(inner.StartMinute - StartMinute) + inner.LengthMinutes <= LengthMinutes;

    /// <summary>True when the ranges share at least one minute; ranges that only touch do not overlap.</summary>
    public bool Overlaps(TimeOfDayRange other)
    {
        // Both ranges lie within [0, 2 days); the other one shifted a day back, not at all or a day ahead
        // meets every way the two can share time.
        for (var shift = -MinutesPerDay; shift <= MinutesPerDay; shift += MinutesPerDay)
        {
            var otherStart = other.StartMinute + shift;
            if (StartMinute < otherStart + other.LengthMinutes && otherStart < StartMinute + LengthMinutes)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Start:HH:mm}–{End:HH:mm}");

    private static int MinuteOfDay(TimeOnly time) => (time.Hour * 60) + time.Minute;

    private static int Modulo(int minutes) => ((minutes % MinutesPerDay) + MinutesPerDay) % MinutesPerDay;
}
