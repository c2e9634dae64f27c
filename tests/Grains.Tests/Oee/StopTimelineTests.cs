using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Time;
using static MesOrleans.Tests.Oee.Events;

namespace MesOrleans.Tests.Oee;

public sealed class StopTimelineTests
{
    private static readonly Func<string?, bool> PmIsPlanned = reason => reason == "pm";

    [Fact]
    public void Each_state_change_lasts_until_the_next_and_the_last_is_clipped_at_until()
    {
        var running = State(At(6), MachineState.Running);
        var down = State(At(7), MachineState.Down, "jam");
        var runningAgain = State(At(7, 20), MachineState.Running);
        var afterUntil = State(At(9), MachineState.Idle);

        var intervals = StopTimeline.Build([running, down, Count(At(7, 30), 5), runningAgain, afterUntil], At(8), PmIsPlanned);

        Assert.Equal(
            [
                new StateInterval(new TimeRange(At(6), At(7)), MachineState.Running, null, running.Id, false, TimeSpan.FromHours(1)),
                new StateInterval(new TimeRange(At(7), At(7, 20)), MachineState.Down, "jam", down.Id, false, TimeSpan.FromMinutes(20)),
                new StateInterval(new TimeRange(At(7, 20), At(8)), MachineState.Running, null, runningAgain.Id, false, TimeSpan.FromMinutes(40)),
            ],
            intervals);
    }

    [Fact]
    public void State_changes_are_ordered_by_time_and_of_two_at_the_same_instant_the_later_in_the_input_holds()
    {
        var idle = State(At(7), MachineState.Idle);
        var running = State(At(6), MachineState.Running);
        var down = State(At(7), MachineState.Down, "jam");

        var intervals = StopTimeline.Build([idle, running, down], At(8), PmIsPlanned);

        // Idle lasted no time (07:00–07:00) and leaves no interval.
        Assert.Equal([running.Id, down.Id], intervals.Select(i => i.StopId));
        Assert.Equal(new TimeRange(At(7), At(8)), intervals[1].Range);
    }

    [Fact]
    public void Nothing_is_known_before_the_first_state_change()
    {
        Assert.Empty(StopTimeline.Build([State(At(9), MachineState.Running)], At(9), PmIsPlanned));
    }

    [Fact]
    public void Planned_state_and_planned_reasons_are_planned()
    {
        var intervals = StopTimeline.Build(
            [State(At(6), MachineState.Planned, "meeting"), State(At(7), MachineState.Down, "pm"), State(At(8), MachineState.Down, "jam")],
            At(9),
            PmIsPlanned);

        Assert.Equal([true, true, false], intervals.Select(i => i.Planned));
    }

    [Fact]
    public void The_recode_recorded_last_wins_whatever_the_order_of_the_input()
    {
        var down = State(At(7), MachineState.Down, "jam");
        var events = new[]
        {
            down,
            State(At(8), MachineState.Running),
            Recode(down, "tool", At(9)),
            Recode(down, "material", At(8, 30)),
            Recode(down, "setup", At(9)), // recorded at the same time as "tool", later in the input.
        };

        var stop = StopTimeline.Build(events, At(10), PmIsPlanned)[0];

        Assert.Equal("setup", stop.ReasonCode);
    }

    [Fact]
    public void A_recode_to_a_planned_reason_makes_the_stop_planned()
    {
        var down = State(At(7), MachineState.Down, "jam");

        var stop = StopTimeline.Build([down, State(At(8), MachineState.Running), Recode(down, "pm", At(12))], At(9), PmIsPlanned)[0];

        Assert.Equal("pm", stop.ReasonCode);
        Assert.True(stop.Planned);
    }

    [Fact]
    public void Splits_cut_a_stop_in_time_order_and_every_piece_keeps_the_whole_stop_duration()
    {
        var down = State(At(7), MachineState.Down, "jam");
        var running = State(At(8), MachineState.Running);
        var events = new[]
        {
            down,
            running,
            Split(down, At(7, 40), "tool"),
            Split(down, At(7, 20), "pm"),
            Split(down, At(8, 30), "late"), // after the stop ended: ignored.
            Split(down, At(6, 30), "early"), // before it started: ignored.
        };

        var intervals = StopTimeline.Build(events, At(9), PmIsPlanned);

        // The stop lasted 07:00–08:00: 60 min on each of its three pieces.
        Assert.Equal(
            [
                new StateInterval(new TimeRange(At(7), At(7, 20)), MachineState.Down, "jam", down.Id, false, TimeSpan.FromHours(1)),
                new StateInterval(new TimeRange(At(7, 20), At(7, 40)), MachineState.Down, "pm", down.Id, true, TimeSpan.FromHours(1)),
                new StateInterval(new TimeRange(At(7, 40), At(8)), MachineState.Down, "tool", down.Id, false, TimeSpan.FromHours(1)),
                new StateInterval(new TimeRange(At(8), At(9)), MachineState.Running, null, running.Id, false, TimeSpan.FromHours(1)),
            ],
            intervals);
    }

    [Fact]
    public void A_recode_of_a_split_stop_changes_only_the_part_before_the_first_split()
    {
        var down = State(At(7), MachineState.Down, "jam");
        var events = new[] { down, State(At(8), MachineState.Running), Split(down, At(7, 30), "tool"), Recode(down, "pm", At(12)) };

        var intervals = StopTimeline.Build(events, At(9), PmIsPlanned);

        Assert.Equal(["pm", "tool", null], intervals.Select(i => i.ReasonCode));
        Assert.Equal([true, false, false], intervals.Select(i => i.Planned));
    }

    [Fact]
    public void A_split_at_the_start_of_a_stop_gives_the_whole_stop_its_reason()
    {
        var down = State(At(7), MachineState.Down, "jam");

        var intervals = StopTimeline.Build([down, Split(down, At(7), "tool")], At(8), PmIsPlanned);

        var stop = Assert.Single(intervals);
        Assert.Equal(new TimeRange(At(7), At(8)), stop.Range);
        Assert.Equal("tool", stop.ReasonCode);
    }
}
