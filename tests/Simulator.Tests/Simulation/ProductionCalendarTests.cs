using MesOrleans.Plant;

namespace MesOrleans.Simulator.Tests.Simulation;

public sealed class ProductionCalendarTests
{
    private static readonly ShiftModel Early = new("Early", "06:00", "14:00", [new BreakModel("10:00", "10:30")]);
    private static readonly ShiftModel Night = new("Night", "22:00", "06:00", [new BreakModel("02:00", "02:30")]);

    [Fact]
    public void A_day_shift_produces_around_its_break_and_stands_still_outside()
    {
        var calendar = Calendar("Etc/UTC", Early);

        Assert.Equal(new CalendarPhase(PhaseKind.OffShift, Utc(2, 6)), calendar.PhaseAt(Utc(2, 5)));
        Assert.Equal(new CalendarPhase(PhaseKind.Production, Utc(2, 10)), calendar.PhaseAt(Utc(2, 6)));
        Assert.Equal(new CalendarPhase(PhaseKind.Break, Utc(2, 10, 30)), calendar.PhaseAt(Utc(2, 10)));
        Assert.Equal(new CalendarPhase(PhaseKind.Production, Utc(2, 14)), calendar.PhaseAt(Utc(2, 10, 30)));
        Assert.Equal(new CalendarPhase(PhaseKind.OffShift, Utc(3, 6)), calendar.PhaseAt(Utc(2, 14)));
    }

    [Fact]
    public void A_night_shift_crosses_midnight_with_its_break_on_the_next_day()
    {
        var calendar = Calendar("Etc/UTC", Night);

        Assert.Equal(new CalendarPhase(PhaseKind.Production, Utc(3, 2)), calendar.PhaseAt(Utc(2, 22)));
        Assert.Equal(new CalendarPhase(PhaseKind.Break, Utc(3, 2, 30)), calendar.PhaseAt(Utc(3, 2)));
        Assert.Equal(new CalendarPhase(PhaseKind.Production, Utc(3, 6)), calendar.PhaseAt(Utc(3, 2, 30)));
    }

    [Fact]
    public void Back_to_back_shifts_are_one_phase_of_production()
    {
        var calendar = Calendar("Etc/UTC", new ShiftModel("A", "06:00", "14:00", []), new ShiftModel("B", "14:00", "22:00", []));

        Assert.Equal(new CalendarPhase(PhaseKind.Production, Utc(2, 22)), calendar.PhaseAt(Utc(2, 7)));
    }

    [Fact]
    public void A_shift_around_the_clock_is_known_a_day_ahead_at_a_time()
    {
        var calendar = Calendar("Etc/UTC", new ShiftModel("All day", "00:00", "00:00", []));

        Assert.Equal(new CalendarPhase(PhaseKind.Production, Utc(3, 7, 15)), calendar.PhaseAt(Utc(2, 7, 15)));
    }

    [Fact]
    public void Local_times_follow_the_site_time_zone_and_daylight_saving()
    {
        var calendar = Calendar("Europe/Berlin", Early);

        // 06:00 CET is 05:00 UTC; on 29 March 2026 the clocks go forward, and 06:00 CEST is 04:00 UTC.
        Assert.Equal(new CalendarPhase(PhaseKind.Production, Utc(2, 9)), calendar.PhaseAt(Utc(2, 5)));
        Assert.Equal(new CalendarPhase(PhaseKind.Production, new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.Zero)),
            calendar.PhaseAt(new DateTimeOffset(2026, 3, 30, 4, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_shift_that_starts_in_the_spring_forward_gap_starts_when_the_clocks_reach_it()
    {
        var calendar = Calendar("Europe/Berlin", new ShiftModel("Odd", "02:30", "10:30", []));

        // 02:30 does not exist on 29 March 2026: the shift starts at 03:00 CEST, 01:00 UTC.
        Assert.Equal(
            new CalendarPhase(PhaseKind.OffShift, new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)),
            calendar.PhaseAt(new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Weekends_holidays_and_planned_stops_are_not_production()
    {
        // 2 March 2026 is a Monday; the 4th a holiday; on the 3rd the press is serviced until 08:00; the 7th (a Saturday) works.
        var calendar = ProductionCalendar.Create(new SiteModel(
            "site", "Site", "Etc/UTC", [Early with { Days = ["mon", "tue", "wed", "thu", "fri"] }], [],
            Holidays: ["2026-03-04"],
            CalendarExceptions:
            [
                new CalendarExceptionModel("2026-03-03", CalendarExceptionModel.PlannedStopKind, "Service", "06:00", "08:00"),
                new CalendarExceptionModel("2026-03-07", CalendarExceptionModel.ShiftKind, "Saturday", "07:00", "11:00"),
            ]));

        Assert.Equal(new CalendarPhase(PhaseKind.Break, Utc(3, 8)), calendar.PhaseAt(Utc(3, 6)));
        Assert.Equal(PhaseKind.OffShift, calendar.PhaseAt(Utc(4, 9)).Kind);
        Assert.Equal(new CalendarPhase(PhaseKind.Production, Utc(7, 11)), calendar.PhaseAt(Utc(7, 7)));
        Assert.Equal(PhaseKind.OffShift, calendar.PhaseAt(Utc(8, 9)).Kind);
    }

    private static ProductionCalendar Calendar(string timeZone, params ShiftModel[] shifts) =>
        ProductionCalendar.Create(new SiteModel("site", "Site", timeZone, shifts, []));

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);
}
