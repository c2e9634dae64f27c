using MesOrleans.Plant;
using MesOrleans.Shifts;
using MesOrleans.Time;

namespace MesOrleans.Tests.Shifts;

// 2 March 2026 is a Monday; 25 December 2026 a Friday.
public sealed class WeeklyCalendarTests
{
    private static readonly string[] Weekdays = ["mon", "tue", "wed", "thu", "fri"];
    private static readonly ShiftModel Early = new("Early", "06:00", "14:00", [new BreakModel("10:00", "10:30")], Weekdays);
    private static readonly ShiftModel Night = new("Night", "22:00", "06:00", [], Weekdays);

    [Fact]
    public void A_shift_with_weekdays_runs_on_those_days_only()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early]);
        var week = new TimeRange(Utc(3, 2, 0), Utc(3, 9, 0));

        var days = calendar.Occurrences(week).Select(o => o.Day.DayOfWeek).ToList();

        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], days);
        // Five shifts of 8 h less a 30 min break; the weekend is not planned.
        Assert.Equal(TimeSpan.FromHours(5 * 7.5), TimeRanges.Duration(calendar.PlannedProductionTime(week)));
        Assert.Empty(calendar.PlannedProductionTime(new TimeRange(Utc(3, 7, 0), Utc(3, 9, 0))));
    }

    [Fact]
    public void A_shift_without_days_runs_every_day()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early with { Days = null }]);

        Assert.Equal(7, calendar.Occurrences(new TimeRange(Utc(3, 2, 0), Utc(3, 9, 0))).Count);
    }

    [Fact]
    public void A_night_shift_belongs_to_the_day_it_starts_on_and_crosses_into_the_weekend()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Night]);

        // Friday's night runs into Saturday morning; no night starts on Saturday or Sunday.
        var weekend = calendar.Occurrences(new TimeRange(Utc(3, 7, 0), Utc(3, 9, 0)));

        var friday = Assert.Single(weekend);
        Assert.Equal(new DateOnly(2026, 3, 6), friday.Day);
        Assert.Equal(new TimeRange(Utc(3, 6, 22), Utc(3, 7, 6)), friday.Range);
        Assert.Equal(TimeSpan.FromHours(6), TimeRanges.Duration(calendar.PlannedProductionTime(new TimeRange(Utc(3, 7, 0), Utc(3, 9, 0)))));
    }

    [Fact]
    public void A_sunday_night_shift_is_the_current_shift_early_on_monday()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early, new ShiftModel("Sunday night", "22:00", "06:00", [], ["sun"])]);

        var current = calendar.CurrentOrLast(Utc(3, 9, 3));

        Assert.NotNull(current);
        Assert.Equal("Sunday night", current.Name);
        Assert.Equal(new DateOnly(2026, 3, 8), current.Day);
        Assert.Equal(new TimeRange(Utc(3, 8, 22), Utc(3, 9, 6)), current.Range);
    }

    [Fact]
    public void Over_the_weekend_the_last_shift_is_fridays()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early]);

        var last = calendar.CurrentOrLast(Utc(3, 8, 12));

        Assert.Equal(new DateOnly(2026, 3, 6), last?.Day);
    }

    [Fact]
    public void A_holiday_cancels_the_shifts_that_start_on_it()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early, Night], holidays: ["2026-12-25"]);

        var around = calendar.Occurrences(new TimeRange(Utc(12, 24, 6), Utc(12, 26, 12)));

        // Thursday's night (24th 22:00) still runs into the holiday morning; nothing starts on the 25th.
        Assert.Equal(
            [("Early", new DateOnly(2026, 12, 24)), ("Night", new DateOnly(2026, 12, 24))],
            around.Select(o => (o.Name, o.Day)).ToList());
        Assert.Empty(calendar.PlannedProductionTime(new TimeRange(Utc(12, 25, 6), Utc(12, 28, 0))));
    }

    [Fact]
    public void The_last_shift_before_a_long_closing_is_found()
    {
        var closing = Enumerable.Range(0, 14).Select(d => new DateOnly(2026, 12, 21).AddDays(d).ToString("yyyy-MM-dd")).ToList();
        var calendar = ShiftCalendar.Create("Etc/UTC", [Early], holidays: closing);

        Assert.Equal(new DateOnly(2026, 12, 18), calendar.CurrentOrLast(new DateTimeOffset(2027, 1, 2, 12, 0, 0, TimeSpan.Zero))?.Day);
    }

    [Fact]
    public void An_extra_shift_runs_on_its_date_even_on_a_holiday()
    {
        var calendar = ShiftCalendar.Create(
            "Etc/UTC",
            [Early],
            holidays: ["2026-03-07"],
            exceptions: [new CalendarExceptionModel("2026-03-07", CalendarExceptionModel.ShiftKind, "Saturday", "07:00", "12:00", [new BreakModel("09:00", "09:15")])]);

        var saturday = Assert.Single(calendar.Occurrences(new TimeRange(Utc(3, 7, 0), Utc(3, 8, 0))));

        Assert.Equal("Saturday", saturday.Name);
        Assert.Equal(new TimeRange(Utc(3, 7, 7), Utc(3, 7, 12)), saturday.Range);
        Assert.Equal([new TimeRange(Utc(3, 7, 9), Utc(3, 7, 9, 15))], saturday.Breaks);
        Assert.Equal(TimeSpan.FromHours(4.75), TimeRanges.Duration(calendar.PlannedProductionTime(saturday.Range)));
    }

    [Fact]
    public void A_planned_stop_is_taken_out_of_the_shift_like_a_break()
    {
        var calendar = ShiftCalendar.Create(
            "Etc/UTC",
            [Early],
            exceptions: [new CalendarExceptionModel("2026-03-03", CalendarExceptionModel.PlannedStopKind, "Press service", "05:00", "10:15")]);

        var tuesday = Assert.Single(calendar.Occurrences(new TimeRange(Utc(3, 3, 0), Utc(3, 4, 0))));

        // 05:00–10:15 clipped to the shift and merged with the 10:00–10:30 break.
        Assert.Equal([new TimeRange(Utc(3, 3, 6), Utc(3, 3, 10, 30))], tuesday.Breaks);
        Assert.Equal(TimeSpan.FromHours(3.5), TimeRanges.Duration(calendar.PlannedProductionTime(tuesday.Range)));
        // Other days keep their 7.5 h.
        Assert.Equal(TimeSpan.FromHours(7.5), TimeRanges.Duration(calendar.PlannedProductionTime(new TimeRange(Utc(3, 4, 0), Utc(3, 5, 0)))));
    }

    [Fact]
    public void A_planned_stop_across_midnight_reaches_into_the_night_shift()
    {
        var calendar = ShiftCalendar.Create(
            "Etc/UTC",
            [Night],
            exceptions: [new CalendarExceptionModel("2026-03-03", CalendarExceptionModel.PlannedStopKind, "Shutdown", "23:00", "02:00")]);

        var night = calendar.Occurrences(new TimeRange(Utc(3, 3, 23), Utc(3, 4, 1))).Single(o => o.Day == new DateOnly(2026, 3, 3));

        Assert.Equal([new TimeRange(Utc(3, 3, 23), Utc(3, 4, 2))], night.Breaks);
        Assert.Equal(TimeSpan.FromHours(5), TimeRanges.Duration(calendar.PlannedProductionTime(night.Range)));
    }

    // Europe/Berlin: clocks go 02:00 CET → 03:00 CEST on Sunday 29 March 2026 and 03:00 CEST → 02:00 CET on Sunday 25 October.
    [Theory]
    [InlineData(3, 28, 7)] // Saturday 22:00 CET = 21:00Z … Sunday 06:00 CEST = 04:00Z.
    [InlineData(10, 24, 9)] // Saturday 22:00 CEST = 20:00Z … Sunday 06:00 CET = 05:00Z.
    public void A_weekend_night_shift_on_a_daylight_saving_day_is_as_long_as_the_clocks_make_it(int month, int day, double hours)
    {
        var calendar = ShiftCalendar.Create("Europe/Berlin", [new ShiftModel("Weekend night", "22:00", "06:00", [], ["sat"])]);

        var night = Assert.Single(calendar.Occurrences(new TimeRange(Utc(month, day, 12), Utc(month, day + 1, 12))));

        Assert.Equal(new DateOnly(2026, month, day), night.Day);
        Assert.Equal(TimeSpan.FromHours(hours), night.Range.Duration);
    }

    [Fact]
    public void An_extra_shift_and_a_planned_stop_on_a_daylight_saving_day_follow_the_clocks()
    {
        var calendar = ShiftCalendar.Create(
            "Europe/Berlin",
            [],
            exceptions:
            [
                // 02:30 does not exist on 29 March: the shift starts at 03:00 CEST = 01:00Z and ends 10:00 CEST = 08:00Z.
                new CalendarExceptionModel("2026-03-29", CalendarExceptionModel.ShiftKind, "Sunday", "02:30", "10:00"),
                // 03:00–04:00 CEST = 01:00Z–02:00Z.
                new CalendarExceptionModel("2026-03-29", CalendarExceptionModel.PlannedStopKind, "Check", "03:00", "04:00"),
            ]);

        var sunday = Assert.Single(calendar.Occurrences(new TimeRange(Utc(3, 29, 0), Utc(3, 30, 0))));

        Assert.Equal(new TimeRange(Utc(3, 29, 1), Utc(3, 29, 8)), sunday.Range);
        Assert.Equal([new TimeRange(Utc(3, 29, 1), Utc(3, 29, 2))], sunday.Breaks);
        Assert.Equal(TimeSpan.FromHours(6), TimeRanges.Duration(calendar.PlannedProductionTime(sunday.Range)));
    }

    [Fact]
    public void A_holiday_is_a_local_date_of_the_site()
    {
        // Tokyo is 9 h ahead: its 25 December starts at 24 December 15:00Z.
        var calendar = ShiftCalendar.Create("Asia/Tokyo", [new ShiftModel("Early", "06:00", "14:00", [])], holidays: ["2026-12-25"]);

        var days = calendar.Occurrences(new TimeRange(Utc(12, 23, 0), Utc(12, 27, 0))).Select(o => o.Day).ToList();

        Assert.DoesNotContain(new DateOnly(2026, 12, 25), days);
        Assert.Contains(new DateOnly(2026, 12, 24), days);
        Assert.Contains(new DateOnly(2026, 12, 26), days);
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);
}
