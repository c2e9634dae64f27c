using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.Reports.Rollup;
using MesOrleans.Tests.Plant;
using MesOrleans.Tests.Reports.Rollup;
using MesOrleans.Time;
using static MesOrleans.Tests.Oee.Events;

namespace MesOrleans.Tests.Reports;

// The test plant is in Europe/Berlin (UTC+1 in March): the early shift is 05:00–13:00 UTC with a break 08:00–08:15 UTC.
public sealed class LossReportTests
{
    private static readonly PlantView Plant = new(new PlantModelSnapshot(1, TestPlant.Valid, []));
    private static readonly TimeRange EarlyShift = new(At(5), At(13));

    [Fact]
    public async Task Downtime_is_ranked_by_minutes_within_shift_time_less_breaks_and_stops_without_a_reason_are_grouped()
    {
        var recoded = State(At(12), MachineState.Down, "E12");
        var events = new[]
        {
            State(At(5), MachineState.Running),
            State(At(7, 50), MachineState.Down, "E12"), // 30 min, of which 15 in the break
            State(At(8, 20), MachineState.Running),
            State(At(10), MachineState.Down), // 40 min, no reason
            State(At(10, 40), MachineState.Running),
            State(At(11), MachineState.Idle, "E12"), // 10 min
            State(At(11, 10), MachineState.Running),
            recoded, // recoded to a planned reason: not a loss
            State(At(12, 20), MachineState.Running),
            Recode(recoded, "PM", At(12, 30)),
        };

        var losses = await LossesAsync(At(14), events);

        Assert.Collection(
            losses.Downtime,
            bar =>
            {
                Assert.Equal("unassigned:down", bar.Code);
                Assert.Equal("Down, no reason given", bar.Name);
                Assert.Equal(40, bar.Amount, 6);
                Assert.Equal(40 / 65.0, bar.CumulativeShare, 6);
            },
            bar =>
            {
                Assert.Equal("E12", bar.Code);
                Assert.Equal("Hydraulic fault", bar.Name);
                Assert.Equal(25, bar.Amount, 6);
                Assert.Equal(2, bar.Occurrences);
                Assert.Equal(1, bar.CumulativeShare);
            });
        Assert.Equal(65, losses.DowntimeMinutes, 6);
    }

    [Fact]
    public async Task A_stop_is_clipped_to_the_window_and_an_open_stop_counts_until_now()
    {
        var events = new[]
        {
            State(At(4, 30), MachineState.Down, "E12"), // began in the night shift, before the window
            State(At(5, 30), MachineState.Running),
            State(At(12, 50), MachineState.Down, "E12"), // still open
        };

        var losses = await LossesAsync(At(12, 55), events);

        var bar = Assert.Single(losses.Downtime);
        Assert.Equal(35, bar.Amount, 6);
        Assert.Equal(2, bar.Occurrences);
    }

    [Fact]
    public async Task A_split_gives_each_part_of_a_stop_its_own_reason()
    {
        var stop = State(At(10), MachineState.Down, "E12");
        var events = new[] { State(At(5), MachineState.Running), stop, State(At(10, 30), MachineState.Running), Split(stop, At(10, 10), "PM") };

        var losses = await LossesAsync(At(14), events);

        Assert.Equal(10, Assert.Single(losses.Downtime).Amount, 6);
    }

    [Fact]
    public async Task Downtime_of_several_machines_adds_up_by_reason()
    {
        MachineEvent[] Machine() => [State(At(6), MachineState.Down, "E12"), State(At(6, 12), MachineState.Running)];

        var losses = await LossesAsync(At(14), Machine(), Machine());

        var bar = Assert.Single(losses.Downtime);
        Assert.Equal(24, bar.Amount, 6);
        Assert.Equal(2, bar.Occurrences);
    }

    [Fact]
    public async Task Scrap_is_summed_by_reason_without_voided_entries_and_entries_outside_the_window()
    {
        var voided = Scrap(At(9), 2, "S01");
        var events = new[]
        {
            Scrap(At(6), 3, "S01"),
            Scrap(At(7), 5, "S02"),
            voided,
            Void(voided, At(9, 5)),
            Count(At(10), 100, scrap: 4), // the machine's counter: no reason
            Scrap(At(14), 50, "S02"), // after the window
        };

        var losses = await LossesAsync(At(14), events);

        Assert.Equal(["S02", LossReport.Unassigned, "S01"], losses.Scrap.Select(b => b.Code));
        Assert.Equal([5.0, 4.0, 3.0], losses.Scrap.Select(b => b.Amount));
        Assert.Equal("No reason given", losses.Scrap[1].Name);
        Assert.Equal(12, losses.ScrapParts);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("unassigned", true)]
    [InlineData("UNASSIGNED", true)]
    [InlineData("E12", false)]
    public void A_code_needs_a_reason_when_it_is_missing_or_the_placeholder(string? code, bool unassigned) =>
        Assert.Equal(unassigned, LossReport.IsUnassigned(code));

    // The events of each machine go to one of the plant's machines, through the rollups as the event log's writer files them.
    private static async Task<Losses> LossesAsync(DateTimeOffset now, params IReadOnlyList<MachineEvent>[] machines)
    {
        var rollups = new MemoryRollups(Plant);
        string[] ids = ["plant1/assembly/press-1", "plant1/assembly/press-2", "plant1/packaging/filler-1"];
        await rollups.AppendAsync(machines.SelectMany((events, i) => events.Select(e => e with { MachineId = ids[i] })));
        var cells = await ReportCells.ReadAsync(rollups, Plant, new ReportRequest(EquipmentPath.ForSite("plant1"), EarlyShift.Start, EarlyShift.End), now);
        return LossReport.Compute(Plant, cells);
    }

    private static MachineEvent Scrap(DateTimeOffset at, long quantity, string reason) =>
        new(Guid.NewGuid(), "plant1/assembly/press-1", MachineEventKind.Counted, at, at, EventSource.Operator)
        {
            TotalDelta = quantity,
            ScrapDelta = quantity,
            ReasonCode = reason,
        };
}
