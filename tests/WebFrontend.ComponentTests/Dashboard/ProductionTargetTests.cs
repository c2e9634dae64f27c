using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.WebFrontend.Dashboard;

namespace MesOrleans.WebFrontend.ComponentTests.Dashboard;

public sealed class ProductionTargetTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_target_is_planned_busy_time_at_the_ideal_rate()
    {
        // Two hours of planned busy time at 30 s a part: 240 parts so far; a 7.5 h shift: 900 parts.
        var press = Machine("plant1/assembly/press-1", TimeSpan.FromHours(2), total: 200, scrap: 8);
        var board = Board(press, TimeSpan.FromSeconds(30), TimeSpan.FromHours(7.5));

        var target = board.TargetOf([press]);

        Assert.Equal(new ProductionTarget(200, 192, 240, 900), target);
        Assert.Equal(0.8, target.Attainment, 6);
    }

    [Fact]
    public void A_board_with_a_new_status_shows_it_and_adds_up_its_oee()
    {
        var press = Machine("plant1/assembly/press-1", TimeSpan.FromHours(2), total: 200, scrap: 8);
        var board = Board(press, TimeSpan.FromSeconds(30), TimeSpan.FromHours(7.5));

        var after = board.With(press with { State = MachineState.Down });

        Assert.Equal(MachineState.Down, after.Lines[0].Machines[0].State);
        Assert.Equal(200, after.SiteOee!.TotalCount);
        Assert.Equal(press, board.With(press with { Id = "plant1/other/x" }).Lines[0].Machines[0]);
    }

    private static MachineStatus Machine(string id, TimeSpan busy, long total, long scrap)
    {
        var oee = OeeFigures.Empty(Start, Start + busy) with { PlannedBusyTime = busy, RunTime = busy, TotalCount = total, ScrapCount = scrap };
        return new MachineStatus(id, "Press", MachineState.Running, Start, null, new ShiftWindow("Early", Start, Start.AddHours(8)), oee, false);
    }

    private static BoardView Board(MachineStatus machine, TimeSpan cycle, TimeSpan shiftPlanned) => new(
        "plant1", "Plant 1", TimeZoneInfo.Utc, new ShiftWindow("Early", Start, Start.AddHours(8)), shiftPlanned, new DateOnly(2026, 3, 2),
        [new BoardLine("plant1/assembly", "Assembly", [machine])],
        new Dictionary<string, TimeSpan> { [machine.Id] = cycle },
        []);
}
