using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.WebFrontend.Dashboard;

namespace MesOrleans.WebFrontend.ComponentTests.Dashboard;

/// <summary>A machine added to the plant while a board is open gets its tile from its first status.</summary>
public sealed class NewMachineOnBoardTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_status_of_a_machine_the_board_does_not_show_is_new_unless_the_machine_is_retired()
    {
        var board = Board(Machine("plant1/assembly/press-1"));

        Assert.False(board.IsNew(Machine("plant1/assembly/press-1")));
        Assert.True(board.IsNew(Machine("plant1/assembly/press-9")));
        Assert.False(board.IsNew(Machine("plant1/assembly/press-9") with { Retired = true }));
    }

    [Fact]
    public void A_new_machine_goes_last_on_its_line_with_its_ideal_cycle_time()
    {
        var board = Board(Machine("plant1/assembly/press-1"));
        var added = Machine("plant1/assembly/press-9");

        var after = board.Adding(new MachinePlace("plant1/assembly", "Assembly", TimeSpan.FromSeconds(20)), added);

        Assert.Equal(["plant1/assembly/press-1", "plant1/assembly/press-9"], after.Lines.Single().Machines.Select(m => m.Id));
        Assert.Equal(TimeSpan.FromSeconds(20), after.IdealCycleTimes[added.Id]);
        Assert.False(board.IdealCycleTimes.ContainsKey(added.Id));
    }

    [Fact]
    public void A_new_machine_on_a_new_line_brings_the_line_last_and_a_known_machine_is_only_updated()
    {
        var press = Machine("plant1/assembly/press-1");
        var board = Board(press);

        var after = board.Adding(new MachinePlace("plant1/packaging", "Packaging", TimeSpan.FromSeconds(3)), Machine("plant1/packaging/filler-1"));
        var again = after.Adding(new MachinePlace("plant1/assembly", "Assembly", TimeSpan.FromSeconds(30)), press with { State = MachineState.Down });

        Assert.Equal(["plant1/assembly", "plant1/packaging"], after.Lines.Select(l => l.Id));
        Assert.Equal("Packaging", after.Lines[1].Name);
        Assert.Single(again.Lines[0].Machines);
        Assert.Equal(MachineState.Down, again.Lines[0].Machines[0].State);
    }

    private static MachineStatus Machine(string id) =>
        new(id, id, MachineState.Running, Start, null, new ShiftWindow("Early", Start, Start.AddHours(8)), OeeFigures.Empty(Start, Start.AddHours(1)), false);

    private static BoardView Board(MachineStatus machine) => new(
        "plant1", "Plant 1", TimeZoneInfo.Utc, new ShiftWindow("Early", Start, Start.AddHours(8)), TimeSpan.FromHours(8), new DateOnly(2026, 3, 2),
        [new BoardLine("plant1/assembly", "Assembly", [machine])],
        new Dictionary<string, TimeSpan> { [machine.Id] = TimeSpan.FromSeconds(30) },
        []);
}
