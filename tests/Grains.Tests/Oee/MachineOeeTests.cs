using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Shifts;
using MesOrleans.Time;
using static MesOrleans.Tests.Oee.Events;

namespace MesOrleans.Tests.Oee;

public sealed class MachineOeeTests
{
    private static readonly MachineConfig Press = new("Press 3", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
    private static readonly Func<string?, bool> PmIsPlanned = reason => reason == "pm";
    private static readonly ShiftModel Early = new("Early", "06:00", "14:00", [new BreakModel("10:00", "10:30")]);
    private static readonly TimeRange EarlyShift = new(At(6), At(14));

    [Fact]
    public void An_eight_hour_shift_with_a_break()
    {
        var events = new[]
        {
            State(At(5, 50), MachineState.Running),
            Count(At(8), 200),
            State(At(9), MachineState.Down, "jam"),
            State(At(9, 30), MachineState.Running),
            Count(At(12), 200),
            Count(At(13), 0, scrap: 20),
        };

        var oee = Calculate(EarlyShift, [Early], events);

        // PBT = 8 h − 0.5 h break = 7.5 h; run = 7.5 h − 0.5 h down = 7 h; 400 made at 1 min, 20 scrap.
        Assert.Equal(7 / 7.5, oee.Availability!.Value, 6); // 0.933333
        Assert.Equal(400 / 420.0, oee.Performance!.Value, 6); // 0.952381
        Assert.Equal(0.95, oee.Quality!.Value, 6);
        Assert.Equal(380 / 450.0, oee.Oee!.Value, 6); // 0.844444
    }

    [Fact]
    public void A_recode_to_a_planned_reason_turns_an_availability_loss_into_a_planned_stop()
    {
        var stop = State(At(8), MachineState.Down, "jam");
        var events = new List<MachineEvent> { State(At(6), MachineState.Running), stop, State(At(9), MachineState.Running), Count(At(12), 390) };

        var before = Calculate(EarlyShift, [Early], events);
        events.Add(Recode(stop, "pm", At(15)));
        var after = Calculate(EarlyShift, [Early], events);

        // Before: PBT 7.5 h, run 6.5 h, A = 0.866667. After: PBT 7.5 − 1 = 6.5 h, run 6.5 h, A = 1.
        Assert.Equal(TimeSpan.FromHours(7.5), before.PlannedBusyTime);
        Assert.Equal(6.5 / 7.5, before.Availability!.Value, 6);
        Assert.Equal(TimeSpan.FromHours(6.5), after.PlannedBusyTime);
        Assert.Equal(1, after.Availability!.Value, 6);
        // 390 min ideal over 6.5 h = 390 min run in both: P = 1; the OEE rises from 390/450 to 390/390.
        Assert.Equal(390 / 450.0, before.Oee!.Value, 6);
        Assert.Equal(1, after.Oee!.Value, 6);
    }

    [Theory]
    // A 3 min stop split into 90 s + 90 s: each piece is shorter than 2 min, but the stop is not, so both are
    // availability losses: run = 60 − 3 = 57 min.
    [InlineData(180, 57)]
    // A 100 s stop split into 50 s + 50 s: a minor stop as a whole, so run time.
    [InlineData(100, 60)]
    public void A_split_stop_is_judged_as_a_whole_by_the_micro_stop_rule(int stopSeconds, double runMinutes)
    {
        var stop = State(At(6, 30), MachineState.Down, "jam");
        var events = new[]
        {
            State(At(6), MachineState.Running),
            stop,
            State(At(6, 30).AddSeconds(stopSeconds), MachineState.Running),
            Split(stop, At(6, 30).AddSeconds(stopSeconds / 2.0), "tool"),
        };

        var oee = Calculate(new TimeRange(At(6), At(7)), [new ShiftModel("Hour", "06:00", "07:00", [])], events);

        Assert.Equal(TimeSpan.FromMinutes(runMinutes), oee.RunTime);
        Assert.Equal(runMinutes / 60, oee.Availability!.Value, 6);
    }

    [Fact]
    public void An_overnight_shift_crossing_midnight()
    {
        var night = new ShiftModel("Night", "22:00", "06:00", [new BreakModel("02:00", "02:30")]);
        var events = new[]
        {
            State(At(21), MachineState.Running),
            State(At(23, 30), MachineState.Down, "jam"),
            State(At(0, 30, day: 3), MachineState.Running),
            Count(At(1, day: 3), 200),
            Count(At(5, day: 3), 160),
        };

        var oee = Calculate(new TimeRange(At(22), At(6, day: 3)), [night], events);

        // PBT = 8 h − 0.5 h break = 7.5 h; down 23:30–00:30 across midnight: run 6.5 h; 360 × 1 min = 6 h ideal.
        Assert.Equal(TimeSpan.FromHours(7.5), oee.PlannedBusyTime);
        Assert.Equal(TimeSpan.FromHours(6.5), oee.RunTime);
        Assert.Equal(6.5 / 7.5, oee.Availability!.Value, 6); // 0.866667
        Assert.Equal(6 / 6.5, oee.Performance!.Value, 6); // 0.923077
        Assert.Equal(0.8, oee.Oee!.Value, 6); // 6 h / 7.5 h
        Assert.Equal(0.75, oee.Teep!.Value, 6); // 0.8 × 7.5 / 8
    }

    [Fact]
    public void A_window_across_two_shifts_counts_nothing_in_the_gap_between_them()
    {
        ShiftModel[] shifts = [new("Early", "06:00", "14:00", []), new("Late", "15:00", "23:00", [])];
        var events = new[]
        {
            State(At(5), MachineState.Running),
            Count(At(13), 90),
            State(At(14, 10), MachineState.Down, "jam"), // between shifts: not planned, so no loss.
            State(At(14, 50), MachineState.Running),
            Count(At(16), 90),
        };

        var oee = Calculate(new TimeRange(At(12), At(17)), shifts, events);

        // PBT = 12–14 + 15–17 = 4 h, all running; 180 × 1 min = 3 h ideal over a 5 h window.
        Assert.Equal(TimeSpan.FromHours(4), oee.PlannedBusyTime);
        Assert.Equal(1, oee.Availability!.Value, 6);
        Assert.Equal(0.75, oee.Performance!.Value, 6);
        Assert.Equal(0.75, oee.Oee!.Value, 6);
        Assert.Equal(0.6, oee.Teep!.Value, 6); // 0.75 × 4 / 5
    }

    [Theory]
    [InlineData(3, 28, 7, 1)] // spring forward: 7 h of 420 ideal minutes.
    [InlineData(10, 24, 9, 7 / 9.0)] // fall back: 9 h, so P = 7 / 9 = 0.777778.
    public void A_night_shift_on_a_daylight_saving_change(int month, int day, double hours, double performance)
    {
        var calendar = ShiftCalendar.Create("Europe/Berlin", [new ShiftModel("Night", "22:00", "06:00", [])]);
        var night = calendar.CurrentOrLast(new DateTimeOffset(2026, month, day + 1, 3, 0, 0, TimeSpan.Zero))!.Range;
        var events = new[] { State(night.Start.AddHours(-1), MachineState.Running), Count(night.Start.AddHours(1), 420) };

        var oee = MachineOee.Calculate(night, calendar, Press, events, CountTotals.Sum(events, night, Press.IdealCycleTime), PmIsPlanned);

        Assert.Equal(TimeSpan.FromHours(hours), oee.CalendarTime);
        Assert.Equal(TimeSpan.FromHours(hours), oee.PlannedBusyTime);
        Assert.Equal(1, oee.Availability!.Value, 6);
        Assert.Equal(performance, oee.Performance!.Value, 6);
    }

    [Fact]
    public void The_events_a_window_read_returns_give_the_same_figures_as_the_whole_history()
    {
        var before = State(At(5), MachineState.Running);
        var stop = State(At(11), MachineState.Down, "jam");
        var stopEnd = State(At(11, 5), MachineState.Running);
        var voided = Count(At(13), 50);
        var inWindow = new[] { Count(At(7), 300), stop, stopEnd, Count(At(12), 100, scrap: 10), voided };
        var corrections = new[] { Recode(stop, "tool", At(17)), Void(voided, At(16)) };
        var earlier = new[] { State(At(4), MachineState.Down, "jam"), Count(At(4, 30), 1000) };
        var later = new[] { State(At(14, 30), MachineState.Idle), Count(At(15), 500), State(At(15, 10), MachineState.Running) };
        var shifts = new[] { new ShiftModel("Early", "06:00", "14:00", []) };

        // What the history store reads for the window: the state in effect at its start, the events in it and the
        // corrections referring to them, whatever their time.
        IEnumerable<MachineEvent> windowRead = [before, .. inWindow, .. corrections];
        IEnumerable<MachineEvent> everything = [.. earlier, before, .. inWindow, .. later, .. corrections];

        var fromWindow = Calculate(EarlyShift, shifts, windowRead);
        var fromEverything = Calculate(EarlyShift, shifts, everything);

        Assert.Equal(fromEverything, fromWindow);
        // PBT 8 h; a 5 min stop, not minor: run 475 min; 400 made (the 50 voided), 10 scrap: 390 good minutes.
        Assert.Equal(475 / 480.0, fromWindow.Availability!.Value, 6); // 0.989583
        Assert.Equal(400 / 475.0, fromWindow.Performance!.Value, 6); // 0.842105
        Assert.Equal(0.975, fromWindow.Quality!.Value, 6); // 390 / 400
        Assert.Equal(0.8125, fromWindow.Oee!.Value, 6); // 390 / 480
    }

    private static OeeFigures Calculate(TimeRange window, IReadOnlyList<ShiftModel> shifts, IEnumerable<MachineEvent> events)
    {
        var all = events.ToList();
        return MachineOee.Calculate(window, ShiftCalendar.Create("Etc/UTC", shifts), Press, all, CountTotals.Sum(all, window, Press.IdealCycleTime), PmIsPlanned);
    }
}
