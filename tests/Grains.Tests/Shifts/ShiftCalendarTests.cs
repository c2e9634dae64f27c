using MesOrleans.Plant;
using MesOrleans.Shifts;
using MesOrleans.Time;

namespace MesOrleans.Tests.Shifts;

public sealed class ShiftCalendarTests
{
    private static readonly ShiftModel Early = new("Early", "06:00", "14:00", [new BreakModel("10:00", "10:30")]);
    private static readonly ShiftModel Late = new("Late", "15:00", "23:00", []);
    private static readonly ShiftModel Night = new("Night", "22:00", "06:00", [new BreakModel("02:00", "02:30")]);

    [Fact]
    public void A_day_shift_has_its_break_inside_it()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early]);

        var occurrence = Assert.Single(calendar.Occurrences(new TimeRange(Utc(3, 2, 0), Utc(3, 3, 0))));

        Assert.Equal("Early", occurrence.Name);
        Assert.Equal(new DateOnly(2026, 3, 2), occurrence.Day);
        Assert.Equal(new TimeRange(Utc(3, 2, 6), Utc(3, 2, 14)), occurrence.Range);
        Assert.Equal([new TimeRange(Utc(3, 2, 10), Utc(3, 2, 10, 30))], occurrence.Breaks);
    }

    [Fact]
    public void A_night_shift_crosses_midnight_and_its_early_morning_break_lies_on_the_next_day()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Night]);

        // 3 March 00:00–24:00 overlaps the night from the 2nd (22:00–06:00) and the night from the 3rd, not clipped.
        var occurrences = calendar.Occurrences(new TimeRange(Utc(3, 3, 0), Utc(3, 4, 0)));

        Assert.Equal(2, occurrences.Count);
        Assert.Equal(new DateOnly(2026, 3, 2), occurrences[0].Day);
        Assert.Equal(new TimeRange(Utc(3, 2, 22), Utc(3, 3, 6)), occurrences[0].Range);
        Assert.Equal([new TimeRange(Utc(3, 3, 2), Utc(3, 3, 2, 30))], occurrences[0].Breaks);
        Assert.Equal(new DateOnly(2026, 3, 3), occurrences[1].Day);
        Assert.Equal(new TimeRange(Utc(3, 3, 22), Utc(3, 4, 6)), occurrences[1].Range);
    }

    [Fact]
    public void A_shift_that_ends_when_it_starts_lasts_a_whole_day()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [new ShiftModel("Day", "06:00", "06:00", [])]);

        var occurrence = Assert.Single(calendar.Occurrences(new TimeRange(Utc(3, 2, 12), Utc(3, 2, 13))));

        Assert.Equal(new TimeRange(Utc(3, 2, 6), Utc(3, 3, 6)), occurrence.Range);
    }

    [Fact]
    public void A_break_is_clipped_to_its_shift()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [new ShiftModel("Early", "06:00", "14:00", [new BreakModel("13:45", "14:15")])]);
        var day = new TimeRange(Utc(3, 2, 0), Utc(3, 3, 0));

        var occurrence = Assert.Single(calendar.Occurrences(day));

        Assert.Equal([new TimeRange(Utc(3, 2, 13, 45), Utc(3, 2, 14))], occurrence.Breaks);
        // 8 h − 15 min of the break inside the shift = 7.75 h.
        Assert.Equal(TimeSpan.FromHours(7.75), TimeRanges.Duration(calendar.PlannedProductionTime(day)));
    }

    // Europe/Berlin: clocks go 02:00 CET → 03:00 CEST on 29 March 2026 (01:00Z) and 03:00 CEST → 02:00 CET on 25 October (01:00Z).
    [Theory]
    [InlineData("22:00", "06:00", 3, 27, 21, 8)] // an ordinary night: 22:00 CET = 21:00Z … 06:00 CET = 05:00Z.
    [InlineData("22:00", "06:00", 3, 28, 21, 7)] // 22:00 CET = 21:00Z … 06:00 CEST = 04:00Z: 7 h.
    [InlineData("22:00", "06:00", 10, 24, 20, 9)] // 22:00 CEST = 20:00Z … 06:00 CET = 05:00Z: 9 h.
    [InlineData("06:00", "14:00", 3, 29, 4, 8)] // 06:00 CEST = 04:00Z … 14:00 CEST = 12:00Z.
    [InlineData("06:00", "14:00", 10, 25, 5, 8)] // 06:00 CET = 05:00Z … 14:00 CET = 13:00Z.
    [InlineData("02:30", "10:30", 3, 29, 1, 7.5)] // 02:30 does not exist: the shift starts at 03:00 CEST = 01:00Z … 10:30 CEST = 08:30Z.
    [InlineData("02:30", "10:30", 10, 25, 0.5, 9)] // 02:30 happens twice: the earlier, 02:30 CEST = 00:30Z … 10:30 CET = 09:30Z.
    public void Shifts_follow_daylight_saving_changes(string start, string end, int month, int day, double startUtcHour, double hours)
    {
        var calendar = ShiftCalendar.Create("Europe/Berlin", [new ShiftModel("Shift", start, end, [])]);
        var date = new DateOnly(2026, month, day);

        var occurrence = Assert.Single(calendar.Occurrences(new TimeRange(Utc(month, day, 0), Utc(month, day, 23))), o => o.Day == date);

        Assert.Equal(Utc(month, day, 0).AddHours(startUtcHour), occurrence.Range.Start);
        Assert.Equal(TimeSpan.FromHours(hours), occurrence.Range.Duration);
        Assert.Equal(TimeSpan.FromHours(hours), TimeRanges.Duration(calendar.PlannedProductionTime(occurrence.Range)));
    }

    [Theory]
    // 01:30 CET = 00:30Z … 02:30 is in the gap, so 03:00 CEST = 01:00Z: a 30 min break; 7 h − 0.5 h = 6.5 h.
    [InlineData(3, 28, 6.5)]
    // 01:30 CEST = 23:30Z … 02:30 the first time, CEST = 00:30Z: a 1 h break; 9 h − 1 h = 8 h.
    [InlineData(10, 24, 8)]
    public void Breaks_follow_daylight_saving_changes(int month, int day, double plannedHours)
    {
        var calendar = ShiftCalendar.Create("Europe/Berlin", [new ShiftModel("Night", "22:00", "06:00", [new BreakModel("01:30", "02:30")])]);
        var night = new TimeRange(Utc(month, day, 12), Utc(month, day + 1, 12));

        Assert.Equal(TimeSpan.FromHours(plannedHours), TimeRanges.Duration(calendar.PlannedProductionTime(night)));
    }

    [Fact]
    public void Planned_production_time_is_shift_time_minus_breaks_clipped_to_the_range()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early]);

        var planned = calendar.PlannedProductionTime(new TimeRange(Utc(3, 2, 8), Utc(3, 2, 12)));

        // 08:00–12:00 minus the 10:00–10:30 break.
        Assert.Equal([new TimeRange(Utc(3, 2, 8), Utc(3, 2, 10)), new TimeRange(Utc(3, 2, 10, 30), Utc(3, 2, 12))], planned);
    }

    [Fact]
    public void Time_between_shifts_is_not_planned()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early, Late]);

        var planned = calendar.PlannedProductionTime(new TimeRange(Utc(3, 2, 12), Utc(3, 2, 17)));

        Assert.Equal([new TimeRange(Utc(3, 2, 12), Utc(3, 2, 14)), new TimeRange(Utc(3, 2, 15), Utc(3, 2, 17))], planned);
    }

    [Fact]
    public void Overlapping_shifts_count_once()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [new ShiftModel("Early", "06:00", "14:30", []), new ShiftModel("Late", "14:00", "22:00", [])]);

        var planned = calendar.PlannedProductionTime(new TimeRange(Utc(3, 2, 0), Utc(3, 3, 0)));

        // 06:00–14:30 ∪ 14:00–22:00 = 06:00–22:00: 16 h, not 8.5 h + 8 h.
        Assert.Equal([new TimeRange(Utc(3, 2, 6), Utc(3, 2, 22))], planned);
    }

    [Fact]
    public void A_calendar_without_shifts_plans_nothing()
    {
        var calendar = ShiftCalendar.Create("Europe/Berlin", []);
        var week = new TimeRange(Utc(3, 2, 0), Utc(3, 9, 0));

        Assert.Empty(calendar.Occurrences(week));
        Assert.Empty(calendar.PlannedProductionTime(week));
        Assert.Null(calendar.CurrentOrLast(Utc(3, 4, 10)));
    }

    [Theory]
    [InlineData(3, 10, 0, "Early", 3)] // inside the early shift.
    [InlineData(3, 14, 0, "Early", 3)] // the early shift has just ended.
    [InlineData(3, 14, 30, "Early", 3)] // between shifts: the last one.
    [InlineData(3, 15, 0, "Late", 3)] // the late shift has just started.
    [InlineData(3, 5, 0, "Late", 2)] // before the day's shifts: yesterday's late shift.
    [InlineData(3, 23, 30, "Late", 3)] // after the day's shifts.
    public void Current_or_last_shift(int day, int hour, int minute, string name, int shiftDay)
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early, Late]);

        var occurrence = calendar.CurrentOrLast(Utc(3, day, hour, minute));

        Assert.NotNull(occurrence);
        Assert.Equal(name, occurrence.Name);
        Assert.Equal(new DateOnly(2026, 3, shiftDay), occurrence.Day);
    }

    [Fact]
    public void Current_shift_after_midnight_is_the_night_that_started_the_day_before()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Night]);

        var occurrence = calendar.CurrentOrLast(Utc(3, 3, 3));

        Assert.NotNull(occurrence);
        Assert.Equal(new DateOnly(2026, 3, 2), occurrence.Day);
    }

    [Fact]
    public void Of_overlapping_shifts_the_current_one_is_the_one_that_started_last()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [new ShiftModel("Early", "06:00", "14:30", []), new ShiftModel("Late", "14:00", "22:00", [])]);

        Assert.Equal("Late", calendar.CurrentOrLast(Utc(3, 2, 14, 15))?.Name);
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);
}
