using MesOrleans.Machines;
using MesOrleans.WebFrontend.Components.Dashboard;
using MesOrleans.WebFrontend.Components.Floor;
using MesOrleans.WebFrontend.Dashboard;

namespace MesOrleans.WebFrontend.ComponentTests.Dashboard;

public sealed class MachineTileTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(MachineState.Running, "mes-running", "Running")]
    [InlineData(MachineState.Down, "mes-down", "Down")]
    [InlineData(MachineState.Idle, "mes-idle", "Idle")]
    [InlineData(MachineState.Changeover, "mes-changeover", "Changeover")]
    [InlineData(MachineState.Planned, "mes-planned", "Planned stop")]
    [InlineData(MachineState.Offline, "mes-offline", "Offline")]
    [InlineData(null, "mes-unknown", "No data yet")]
    public void A_tile_takes_the_colour_and_word_of_its_machines_state(MachineState? state, string css, string label)
    {
        var cut = Render<MachineTile>(p => p.Add(x => x.Status, Status(state, "E12")).Add(x => x.Now, Now));

        var tile = cut.Find(".mes-tile");
        Assert.Contains(css, tile.ClassList);
        Assert.Equal(state?.ToString() ?? "unknown", tile.GetAttribute("data-state"));
        Assert.Equal(label, cut.Find(".mes-tile-label").TextContent);
    }

    [Fact]
    public void A_stopped_tile_shows_how_long_and_why()
    {
        var cut = Render<MachineTile>(p => p
            .Add(x => x.Status, Status(MachineState.Down, "E12", since: Now.AddMinutes(-15).AddSeconds(-3)))
            .Add(x => x.Now, Now)
            .Add(x => x.ReasonName, code => code == "E12" ? "Hydraulic fault" : "?"));

        Assert.Equal("15m 03s", cut.Find("[data-role=duration]").TextContent);
        Assert.Equal("Hydraulic fault", cut.Find(".mes-tile-reason").TextContent.Trim());
        Assert.DoesNotContain("mes-tile-ask", cut.Find(".mes-tile").ClassList);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("unassigned")]
    public void A_stop_nobody_gave_a_reason_for_is_marked(string? reason)
    {
        var cut = Render<MachineTile>(p => p.Add(x => x.Status, Status(MachineState.Down, reason)).Add(x => x.Now, Now));

        Assert.Contains("mes-tile-ask", cut.Find(".mes-tile").ClassList);
        Assert.Contains("no reason yet", cut.Find(".mes-tile-reason").TextContent);
    }

    [Theory]
    [InlineData(MachineState.Down, null, true)]
    [InlineData(MachineState.Idle, "unassigned", true)]
    [InlineData(MachineState.Down, "E12", false)]
    [InlineData(MachineState.Changeover, null, false)]
    [InlineData(MachineState.Offline, null, false)]
    [InlineData(MachineState.Running, null, false)]
    public void Only_a_machine_standing_still_without_a_reason_needs_one(MachineState state, string? reason, bool needs) =>
        Assert.Equal(needs, MachineStateStyle.NeedsReason(Status(state, reason)));

    [Fact]
    public void The_duration_ticks_with_the_boards_clock()
    {
        var status = Status(MachineState.Running, null, since: Now.AddHours(-1).AddMinutes(-2).AddSeconds(-3));
        var cut = Render<MachineTile>(p => p.Add(x => x.Status, status).Add(x => x.Now, Now));
        Assert.Equal("1h 02m 03s", cut.Find("[data-role=duration]").TextContent);

        cut.Render(p => p.Add(x => x.Now, Now.AddSeconds(1)));

        Assert.Equal("1h 02m 04s", cut.Find("[data-role=duration]").TextContent);
    }

    [Theory]
    [InlineData(42, "42s")]
    [InlineData(15 * 60 + 3, "15m 03s")]
    [InlineData(3600 + 2 * 60 + 3, "1h 02m 03s")]
    [InlineData(2 * 86400 + 3 * 3600, "2d 03h")]
    [InlineData(-1, "0s")]
    public void A_tiles_duration_cannot_be_taken_for_a_time_of_day(int seconds, string shown) =>
        Assert.Equal(shown, DurationText.Compact(TimeSpan.FromSeconds(seconds)));

    private static MachineStatus Status(MachineState? state, string? reason, DateTimeOffset? since = null)
    {
        var at = since ?? Now.AddMinutes(-5);
        var stop = state is null or MachineState.Running ? null : new OpenStop(Guid.NewGuid(), state.Value, reason, at, null, null, EventSource.Telemetry);
        return new MachineStatus("plant1/assembly/press-1", "Stamping Press 1", state, state is null ? null : at, stop, null, null, false);
    }
}
