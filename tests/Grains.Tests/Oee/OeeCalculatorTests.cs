using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Time;
using static MesOrleans.Tests.Oee.Events;

namespace MesOrleans.Tests.Oee;

public sealed class OeeCalculatorTests
{
    private static readonly TimeRange Shift = new(At(6), At(14));

    [Fact]
    public void An_eight_hour_shift_with_a_break()
    {
        var oee = Calculate(
            Shift,
            [new(At(6), At(10)), new(At(10, 30), At(14))],
            [Running(At(6), At(9)), Stop(At(9), At(9, 30), MachineState.Down), Running(At(9, 30), At(14))],
            total: 400,
            scrap: 20);

        // PBT = 8 h − 0.5 h break = 7.5 h. Run = 06–09 (3 h) + 09:30–10:00 (0.5 h) + 10:30–14:00 (3.5 h) = 7 h.
        Assert.Equal(new OeeFigures(At(6), At(14), H(8), H(7.5), H(7), 400, 20, M(400), M(380), Machines: 1), oee);
        Assert.Equal(7 / 7.5, oee.Availability!.Value, 6); // 0.933333
        Assert.Equal(400 / 420.0, oee.Performance!.Value, 6); // 400 × 1 min over 420 min: 0.952381
        Assert.Equal(0.95, oee.Quality!.Value, 6); // 380 / 400
        Assert.Equal(380 / 450.0, oee.Oee!.Value, 6); // 380 good minutes over 450 busy minutes: 0.844444
        Assert.Equal(380 / 480.0, oee.Teep!.Value, 6); // OEE × 7.5 / 8: 0.791667
    }

    [Theory]
    [InlineData(MachineState.Planned)] // a planned state.
    [InlineData(MachineState.Down)] // a stop with a planned reason, which the timeline marks planned.
    public void A_planned_stop_is_not_planned_busy_time(MachineState state)
    {
        var oee = Calculate(
            Shift,
            [Shift],
            [Running(At(6), At(8)), Stop(At(8), At(9), state, planned: true), Running(At(9), At(14))],
            total: 700,
            cycleSeconds: 30);

        // PBT = 8 h − 1 h = 7 h, all of it running. Ideal = 700 × 30 s = 350 min.
        Assert.Equal(H(7), oee.PlannedBusyTime);
        Assert.Equal(H(7), oee.RunTime);
        Assert.Equal(1, oee.Availability!.Value, 6);
        Assert.Equal(350 / 420.0, oee.Performance!.Value, 6); // 0.833333
        Assert.Equal(350 / 420.0, oee.Oee!.Value, 6);
        Assert.Equal(350 / 480.0, oee.Teep!.Value, 6); // OEE × 7 / 8: 0.729167
    }

    [Fact]
    public void A_planned_stop_outside_planned_production_time_takes_nothing_off()
    {
        var oee = Calculate(Shift, [Shift], [Running(At(6), At(13)), Stop(At(13), At(15), MachineState.Planned, planned: true)]);

        // Only 13:00–14:00 of the planned stop is in the shift: PBT = 8 h − 1 h.
        Assert.Equal(H(7), oee.PlannedBusyTime);
        Assert.Equal(1, oee.Availability!.Value, 6);
    }

    [Theory]
    [InlineData(MachineState.Down, 90, 60)] // 90 s < 120 s: a minor stop, run time.
    [InlineData(MachineState.Down, 119, 60)]
    [InlineData(MachineState.Down, 120, 58)] // not shorter than the threshold: 60 − 2 = 58 min.
    [InlineData(MachineState.Down, 180, 57)] // 60 − 3 = 57 min.
    [InlineData(MachineState.Idle, 90, 60)]
    [InlineData(MachineState.Changeover, 90, 58.5)] // a changeover is an availability loss however short: 60 − 1.5.
    [InlineData(MachineState.Offline, 90, 58.5)]
    public void Stops_shorter_than_the_micro_stop_threshold_are_run_time(MachineState state, int stopSeconds, double runMinutes)
    {
        var stopEnd = At(6, 30).AddSeconds(stopSeconds);

        var oee = Calculate(
            new TimeRange(At(6), At(7)),
            [new(At(6), At(7))],
            [Running(At(6), At(6, 30)), Stop(At(6, 30), stopEnd, state), Running(stopEnd, At(7))],
            thresholdSeconds: 120);

        Assert.Equal(M(runMinutes), oee.RunTime);
        Assert.Equal(runMinutes / 60, oee.Availability!.Value, 6);
    }

    [Fact]
    public void A_window_clips_planned_production_time_and_intervals()
    {
        var oee = Calculate(
            new TimeRange(At(8), At(12)),
            [Shift],
            [Running(At(6), At(9)), Stop(At(9), At(10), MachineState.Down), Running(At(10), At(14))],
            total: 150);

        // PBT = 08–12 = 4 h. Run = 08–09 + 10–12 = 3 h. Ideal = 150 min.
        Assert.Equal(new OeeFigures(At(8), At(12), H(4), H(4), H(3), 150, 0, M(150), M(150), Machines: 1), oee);
        Assert.Equal(0.75, oee.Availability!.Value, 6);
        Assert.Equal(150 / 180.0, oee.Performance!.Value, 6); // 0.833333
        Assert.Equal(0.625, oee.Oee!.Value, 6); // 0.75 × 0.833333
        Assert.Equal(0.625, oee.Teep!.Value, 6); // PBT = calendar time
    }

    [Fact]
    public void Zero_counts_leave_quality_undefined_and_oee_zero()
    {
        var oee = Calculate(Shift, [Shift], [Running(At(6), At(14))]);

        // A = 8 h / 8 h; P = 0 / 8 h; Q = 0 / 0 is undefined; nothing made is an OEE of 0.
        Assert.Equal(1, oee.Availability!.Value, 6);
        Assert.Equal(0, oee.Performance!.Value, 6);
        Assert.Null(oee.Quality);
        Assert.Equal(0, oee.Oee!.Value, 6);
        Assert.Equal(0, oee.Teep!.Value, 6);
    }

    [Fact]
    public void No_run_time_leaves_performance_undefined_and_oee_zero()
    {
        var oee = Calculate(Shift, [Shift], [Stop(At(6), At(14), MachineState.Down)]);

        Assert.Equal(0, oee.Availability!.Value, 6);
        Assert.Null(oee.Performance);
        Assert.Null(oee.Quality);
        Assert.Equal(0, oee.Oee!.Value, 6);
    }

    [Fact]
    public void Nothing_planned_leaves_every_ratio_undefined()
    {
        var oee = Calculate(Shift, [], [Running(At(6), At(14))], total: 100);

        Assert.Equal(TimeSpan.Zero, oee.PlannedBusyTime);
        Assert.Equal(TimeSpan.Zero, oee.RunTime);
        Assert.False(oee.HasPlan);
        Assert.Equal(new double?[] { null, null, null, null, null }, [oee.Availability, oee.Performance, oee.Quality, oee.Oee, oee.Teep]);
    }

    [Fact]
    public void Scrap_lowers_quality()
    {
        var oee = Calculate(Shift, [Shift], [Running(At(6), At(14))], total: 400, scrap: 100);

        Assert.Equal(300, oee.GoodCount);
        Assert.Equal(1, oee.Availability!.Value, 6);
        Assert.Equal(400 / 480.0, oee.Performance!.Value, 6); // 400 × 1 min over 8 h: 0.833333
        Assert.Equal(0.75, oee.Quality!.Value, 6); // 300 / 400
        Assert.Equal(0.625, oee.Oee!.Value, 6); // 300 good minutes over 480
    }

    [Fact]
    public void Performance_is_capped_at_one()
    {
        var oee = Calculate(new TimeRange(At(6), At(7)), [new(At(6), At(7))], [Running(At(6), At(7))], total: 90, scrap: 9);

        // 90 × 1 min ideal in 60 min of run time: 1.5, capped at 1. Q = 81 / 90.
        Assert.Equal(1, oee.Performance!.Value, 6);
        Assert.Equal(0.9, oee.Quality!.Value, 6);
        Assert.Equal(0.9, oee.Oee!.Value, 6);
    }

    [Fact]
    public void Time_before_the_first_known_state_is_unmonitored_not_lost()
    {
        var oee = Calculate(Shift, [Shift], [Running(At(8), At(14))]);

        // 06–08 before the MES heard of the machine: out of PBT, reported as unmonitored.
        Assert.Equal(H(6), oee.PlannedBusyTime);
        Assert.Equal(H(6), oee.RunTime);
        Assert.Equal(H(2), oee.UnmonitoredTime);
        Assert.Equal(At(8), oee.DataSince);
        Assert.Equal(1, oee.Availability!.Value, 6);
    }

    [Fact]
    public void Silence_after_the_first_known_state_stays_a_loss()
    {
        // Known from 06:00, running 06–08, then nothing heard (no interval) until the end of the shift.
        var oee = OeeCalculator.Calculate(new OeeInput(Shift, [Shift], [Running(At(6), At(8))], 0, 0, M(1), M(2), At(6)));

        Assert.Equal(H(8), oee.PlannedBusyTime);
        Assert.Equal(H(2), oee.RunTime);
        Assert.Equal(TimeSpan.Zero, oee.UnmonitoredTime);
        Assert.Null(oee.DataSince);
    }

    [Fact]
    public void Unmonitored_time_is_planned_time_only()
    {
        // First heard at 11:00; a 09:00–10:00 break and the time before the 08:00 window start are not counted.
        var window = new TimeRange(At(8), At(14));
        var oee = Calculate(window, [new(At(6), At(9)), new(At(10), At(14))], [Running(At(11), At(14))]);

        Assert.Equal(H(2), oee.UnmonitoredTime); // 08–09 and 10–11.
        Assert.Equal(H(3), oee.PlannedBusyTime);
        Assert.Equal(At(11), oee.DataSince);
    }

    [Fact]
    public void A_machine_never_heard_of_has_only_unmonitored_time_and_no_ratios()
    {
        var oee = Calculate(Shift, [Shift], []);

        Assert.Equal(H(8), oee.UnmonitoredTime);
        Assert.Equal(TimeSpan.Zero, oee.PlannedBusyTime);
        Assert.Null(oee.DataSince);
        Assert.Null(oee.Oee);
    }

    [Fact]
    public void A_machine_known_before_the_window_is_monitored_throughout()
    {
        var oee = OeeCalculator.Calculate(new OeeInput(Shift, [Shift], [Running(At(6), At(14))], 0, 0, M(1), M(2), At(2)));

        Assert.Equal(TimeSpan.Zero, oee.UnmonitoredTime);
        Assert.Null(oee.DataSince);
    }

    [Fact]
    public void Negative_count_sums_are_clamped_to_zero()
    {
        var oee = Calculate(Shift, [Shift], [Running(At(6), At(14))], total: -5, scrap: -1);

        Assert.Equal(0, oee.TotalCount);
        Assert.Equal(0, oee.ScrapCount);
        Assert.Equal(TimeSpan.Zero, oee.IdealRunTime);
    }

    private static OeeFigures Calculate(
        TimeRange window,
        IReadOnlyList<TimeRange> planned,
        IReadOnlyList<StateInterval> intervals,
        long total = 0,
        long scrap = 0,
        double cycleSeconds = 60,
        double thresholdSeconds = 120) =>
        OeeCalculator.Calculate(new OeeInput(
            window, planned, intervals, total, scrap, TimeSpan.FromSeconds(cycleSeconds), TimeSpan.FromSeconds(thresholdSeconds),
            intervals.Count == 0 ? null : intervals.Min(i => i.Range.Start)));

    private static StateInterval Running(DateTimeOffset from, DateTimeOffset to) => Stop(from, to, MachineState.Running);

    private static StateInterval Stop(DateTimeOffset from, DateTimeOffset to, MachineState state, bool planned = false) =>
        new(new TimeRange(from, to), state, null, Guid.NewGuid(), planned, to - from);

    private static TimeSpan H(double hours) => TimeSpan.FromHours(hours);

    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);
}
