namespace MesOrleans.Plant;

/// <summary>
/// A shift of the plant model as validation compares it with others: its clock times, the weekdays it starts on
/// (null: every day) and the label problems name it by. Times are counted in minutes from the start of
/// <see cref="DateOnly.MinValue"/>, so that shifts on different dates compare on one line.
/// </summary>
internal sealed record PlannedShift(TimeOfDayRange Range, IReadOnlySet<DayOfWeek>? Days, string Label)
{
    private const int MinutesPerDay = 24 * 60;
    private const int MinutesPerWeek = 7 * MinutesPerDay;

    public bool RunsOn(DateOnly day) => Days is null || Days.Contains(day.DayOfWeek);

    /// <summary>True when the two shifts share time in some week: each repeats on its weekdays.</summary>
    public bool OverlapsInAnyWeek(PlannedShift other)
    {
        foreach (var day in WeekdaysOf(this))
        {
            foreach (var otherDay in WeekdaysOf(other))
            {
                var start = (DayIndex(day) * MinutesPerDay) + Range.StartMinute;
                var otherStart = (DayIndex(otherDay) * MinutesPerDay) + other.Range.StartMinute;

                // Both lie within [0, 2 weeks): the other one a week back, not moved or a week ahead meets every way they can share time.
                for (var shift = -MinutesPerWeek; shift <= MinutesPerWeek; shift += MinutesPerWeek)
                {
                    if (Overlap(start, Range.LengthMinutes, otherStart + shift, other.Range.LengthMinutes))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>True when this shift, run on <paramref name="day"/>, shares time with <paramref name="other"/> run on <paramref name="otherDay"/>.</summary>
    public bool OverlapsOn(DateOnly day, PlannedShift other, DateOnly otherDay) =>
        Overlap(StartOn(day), Range.LengthMinutes, other.StartOn(otherDay), other.Range.LengthMinutes);

    private long StartOn(DateOnly day) => ((long)day.DayNumber * MinutesPerDay) + Range.StartMinute;

    private static bool Overlap(long start, int length, long otherStart, int otherLength) =>
        start < otherStart + otherLength && otherStart < start + length;

    private static IEnumerable<DayOfWeek> WeekdaysOf(PlannedShift shift) => (IEnumerable<DayOfWeek>?)shift.Days ?? Enum.GetValues<DayOfWeek>();

    // Monday is day 0 of a week, as the plant model lists days.
    private static int DayIndex(DayOfWeek day) => ((int)day + 6) % 7;
}
