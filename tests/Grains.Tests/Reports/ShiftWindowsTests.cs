using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.Tests.Plant;
using MesOrleans.Time;
using static MesOrleans.Tests.Oee.Events;

namespace MesOrleans.Tests.Reports;

// Europe/Berlin is UTC+1 on 2 March 2026: Early 05:00–13:00 UTC, Late 13:00–21:00 UTC, Night 21:00–05:00 UTC.
public sealed class ShiftWindowsTests
{
    private static readonly PlantView Plant = new(new PlantModelSnapshot(1, TestPlant.Valid, []));

    [Fact]
    public void The_current_shift_and_the_one_before_it()
    {
        Assert.Equal(new ShiftWindow("Early", At(5), At(13)), ShiftWindows.CurrentOrLast(Plant, "plant1", At(7)));
        Assert.Equal(new ShiftWindow("Night", At(21, day: 1), At(5)), ShiftWindows.Previous(Plant, "plant1", At(7)));
    }

    [Fact]
    public void A_local_day_starts_at_the_sites_midnight()
    {
        var (from, to) = ShiftWindows.Day(Plant, "plant1", new DateOnly(2026, 3, 2));

        Assert.Equal(At(23, day: 1), from);
        Assert.Equal(At(23, day: 2), to);
        Assert.Equal(new DateOnly(2026, 3, 3), ShiftWindows.LocalDate(Plant, "plant1", At(23, 30)));
    }

    [Fact]
    public void Planned_production_time_leaves_out_breaks() =>
        Assert.Equal(TimeSpan.FromMinutes(465), ShiftWindows.PlannedProductionTime(Plant, "plant1", At(5), At(13)));

    [Fact]
    public void The_timeline_is_clipped_to_the_window_and_to_now()
    {
        var stop = State(At(6), MachineState.Down, "E12");
        var events = new[] { State(At(4), MachineState.Running), stop, State(At(6, 30), MachineState.Running), Recode(stop, "PM", At(7)) };

        var spans = MachineTimeline.Spans(Plant, events, new TimeRange(At(5), At(13)), now: At(8));

        Assert.Equal(
            [
                new StateSpan(At(5), At(6), MachineState.Running, null),
                new StateSpan(At(6), At(6, 30), MachineState.Down, "PM"),
                new StateSpan(At(6, 30), At(8), MachineState.Running, null),
            ],
            spans);
    }
}
