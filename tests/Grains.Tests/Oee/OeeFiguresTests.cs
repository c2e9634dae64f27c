using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Time;
using static MesOrleans.Tests.Oee.Events;

namespace MesOrleans.Tests.Oee;

public sealed class OeeFiguresTests
{
    [Fact]
    public void Combining_machines_weights_them_by_time()
    {
        var shift = new TimeRange(At(6), At(14));
        // A: a 1 h planned stop, runs 07–13, down 13–14; 300 parts at 1 min. PBT 7 h, run 6 h, ideal 5 h, good 5 h.
        var a = OeeCalculator.Calculate(new OeeInput(
            shift,
            [shift],
            [Interval(At(6), At(7), MachineState.Planned, planned: true), Interval(At(7), At(13), MachineState.Running), Interval(At(13), At(14), MachineState.Down)],
            300,
            0,
            TimeSpan.FromMinutes(1),
            TimeSpan.FromMinutes(2),
            shift.Start));
        // B: runs all shift; 900 parts at 30 s, 100 scrap. PBT 8 h, run 8 h, ideal 7.5 h, good 800 × 30 s = 400 min.
        var b = OeeCalculator.Calculate(new OeeInput(
            shift,
            [shift],
            [Interval(At(6), At(14), MachineState.Running)],
            900,
            100,
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMinutes(2),
            shift.Start));

        // B counts the line's output.
        var line = OeeFigures.Combine(shift.Start, shift.End, [a, b.AsOutput()]);

        // Calendar 16 h, PBT 15 h, run 14 h, ideal 12.5 h, good 5 h + 400 min = 700 min; the output is B's 900, 100 scrap.
        Assert.Equal(
            new OeeFigures(At(6), At(14), TimeSpan.FromHours(16), TimeSpan.FromHours(15), TimeSpan.FromHours(14), 1200, 100, TimeSpan.FromHours(12.5), TimeSpan.FromMinutes(700),
                Machines: 2, CountingMachines: 1, OutputCount: 900, OutputScrapCount: 100),
            line);
        Assert.False(line.CountsAreOutput);
        Assert.Equal(800, line.OutputGoodCount);
        Assert.Equal(14 / 15.0, line.Availability!.Value, 6); // 0.933333
        Assert.Equal(12.5 / 14, line.Performance!.Value, 6); // 0.892857
        Assert.Equal(700 / 750.0, line.Quality!.Value, 6); // 0.933333
        Assert.Equal(700 / 900.0, line.Oee!.Value, 6); // 700 good minutes over 900 busy minutes: 0.777778
        Assert.Equal(700 / 960.0, line.Teep!.Value, 6); // OEE × 15 / 16: 0.729167
        // Not the mean of the machines' OEE, (5/7 + 400/480) / 2 = 0.773810.
        Assert.Equal(5 / 7.0, a.Oee!.Value, 6);
        Assert.Equal(400 / 480.0, b.Oee!.Value, 6);
    }

    private static StateInterval Interval(DateTimeOffset from, DateTimeOffset to, MachineState state, bool planned = false) =>
        new(new TimeRange(from, to), state, null, Guid.NewGuid(), planned, to - from);
}
