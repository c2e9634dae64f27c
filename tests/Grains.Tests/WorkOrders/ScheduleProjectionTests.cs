using MesOrleans.Plant;
using MesOrleans.Shifts;
using MesOrleans.WorkOrders;

namespace MesOrleans.Tests.WorkOrders;

/// <summary>A line's queue laid out on its calendar, checked against timelines worked out by hand.</summary>
public sealed class ScheduleProjectionTests
{
    // Monday 23 November 2026.
    private static DateTimeOffset Day(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Work_stops_for_breaks_and_the_end_of_the_shift_and_goes_on_in_the_next_one()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [new ShiftModel("Early", "06:00", "14:00", [new BreakModel("10:00", "10:30")])]);

        var projected = ScheduleProjection.Project(calendar, Day(23, 8),
        [
            new QueuedWork(TimeSpan.FromHours(3), Due: Day(23, 11)),
            new QueuedWork(TimeSpan.FromHours(4), Due: Day(24, 12)),
        ]);

        // A: 08:00–10:00, the break, 10:30–11:30, after its due 11:00. B: 11:30–14:00 (2.5 h), then 06:00–07:30 next day.
        Assert.Equal(new ProjectedWork(Day(23, 8), Day(23, 11, 30), Late: true), projected[0]);
        Assert.Equal(new ProjectedWork(Day(23, 11, 30), Day(24, 7, 30), Late: false), projected[1]);
    }

    [Fact]
    public void A_night_shift_carries_work_over_midnight_and_a_queue_planned_outside_shifts_starts_with_the_next_one()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [new ShiftModel("Night", "22:00", "06:00", [new BreakModel("02:00", "02:30")])]);

        var projected = ScheduleProjection.Project(calendar, Day(23, 20), [new QueuedWork(TimeSpan.FromHours(9), Due: null)]);

        // 22:00–02:00 (4 h), the break, 02:30–06:00 (3.5 h), then 22:00–23:30 the next night (1.5 h).
        Assert.Equal(new ProjectedWork(Day(23, 22), Day(24, 23, 30), Late: false), Assert.Single(projected));
    }

    [Fact]
    public void Weekends_without_shifts_are_skipped()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", [new ShiftModel("Early", "06:00", "14:00", [], ["mon", "tue", "wed", "thu", "fri"])]);

        // Friday 27 November, 12:00: two hours that day, the rest on Monday.
        var projected = ScheduleProjection.Project(calendar, Day(27, 12), [new QueuedWork(TimeSpan.FromHours(4), Due: Day(30, 7))]);

        Assert.Equal(new ProjectedWork(Day(27, 12), Day(30, 8), Late: true), Assert.Single(projected));
    }

    [Fact]
    public void Work_done_takes_no_time_and_work_without_a_calendar_is_not_planned_and_late_when_due()
    {
        var calendar = ShiftCalendar.Create("Etc/UTC", []);

        var projected = ScheduleProjection.Project(calendar, Day(23, 8),
        [
            new QueuedWork(TimeSpan.Zero, Due: Day(23, 9)),
            new QueuedWork(TimeSpan.FromMinutes(1), Due: Day(23, 9)),
            new QueuedWork(TimeSpan.FromMinutes(1), Due: null),
        ]);

        Assert.Equal(
            [
                new ProjectedWork(Day(23, 8), Day(23, 8), Late: false),
                new ProjectedWork(null, null, Late: true),
                new ProjectedWork(null, null, Late: false),
            ],
            projected);
    }
}
