using MesOrleans.Errors;
using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.Reports.Rollup;
using MesOrleans.Telemetry;
using MesOrleans.Tests.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace MesOrleans.Tests.Machines;

[Collection(ClusterCollection.Name)]
public sealed class MachineGrainTests(ClusterFixture fixture)
{
    private DateTimeOffset ShiftStart => fixture.Plant.ShiftStart;

    [Fact]
    public async Task Downtime_opens_a_stop_with_its_reason_and_ending_it_runs_the_machine()
    {
        var machine = await NewMachineAsync();
        await machine.ReportStateAsync(new ReportState(MachineState.Running, null, ShiftStart, EventSource.Operator));

        var stop = await machine.StartDowntimeAsync(new StartDowntime("E12", "oil on the floor", "Anna", ShiftStart.AddMinutes(30)));
        var down = await machine.GetStatusAsync();

        Assert.Equal(MachineState.Down, down.State);
        Assert.Equal(stop, down.OpenStop);
        Assert.Equal(("E12", "Anna", "oil on the floor"), (stop.ReasonCode, stop.Operator, stop.Note));
        Assert.Equal(ShiftStart.AddMinutes(30), stop.Since);

        await machine.EndDowntimeAsync("Anna", ShiftStart.AddMinutes(45));
        var running = await machine.GetStatusAsync();

        Assert.Equal(MachineState.Running, running.State);
        Assert.Null(running.OpenStop);
        // The 15-minute stop is the only loss since the shift started.
        Assert.Equal(TimeSpan.FromMinutes(15), running.ShiftOee!.PlannedBusyTime - running.ShiftOee.RunTime);
    }

    [Fact]
    public async Task Refused_commands_change_nothing()
    {
        var machine = await NewMachineAsync();
        await machine.ReportStateAsync(new ReportState(MachineState.Running, null, ShiftStart, EventSource.Operator));
        await machine.RecordGoodCountAsync(new RecordGoodCount(10, "Anna", ShiftStart.AddMinutes(5)));
        var before = await machine.GetRecentEventsAsync(20);

        await AssertRefused(MesErrorKind.Invalid, () => machine.StartDowntimeAsync(new StartDowntime("NOPE", null, "Anna")));
        await AssertRefused(MesErrorKind.Conflict, () => machine.EndDowntimeAsync("Anna"));
        await AssertRefused(MesErrorKind.Invalid, () => machine.RecordScrapAsync(new RecordScrap(-3, "S01", "Anna")));
        await AssertRefused(MesErrorKind.Invalid, () => machine.RecordScrapAsync(new RecordScrap(3, "E12", "Anna")));
        await AssertRefused(MesErrorKind.Invalid, () => machine.RecordGoodCountAsync(new RecordGoodCount(0, "Anna")));
        await AssertRefused(MesErrorKind.Invalid, () => machine.RecordGoodCountAsync(new RecordGoodCount(5, "Anna", DateTimeOffset.UtcNow.AddHours(1))));
        await AssertRefused(MesErrorKind.Conflict, () => machine.RecodeOpenStopAsync("E12", "Anna"));
        await AssertRefused(MesErrorKind.NotFound, () => machine.RecodeStopAsync(Guid.NewGuid(), "E12", new Correction("Sam", "wrong code")));

        Assert.Equal(before, await machine.GetRecentEventsAsync(20));
        var status = await machine.GetStatusAsync();
        Assert.Equal((10L, 0L), (status.ShiftOee!.TotalCount, status.ShiftOee.ScrapCount));
    }

    [Fact]
    public async Task A_second_downtime_while_down_is_a_conflict_and_a_split_outside_the_stop_is_invalid()
    {
        var machine = await NewMachineAsync();
        var stop = await machine.StartDowntimeAsync(new StartDowntime("E12", null, "Anna", ShiftStart.AddMinutes(10)));
        await machine.EndDowntimeAsync("Anna", ShiftStart.AddMinutes(20));

        await AssertRefused(MesErrorKind.Invalid, () => machine.SplitStopAsync(stop.StopId, ShiftStart.AddMinutes(25), "PM", new Correction("Sam", "two causes")));
        await AssertRefused(MesErrorKind.Invalid, () => machine.SplitStopAsync(stop.StopId, ShiftStart.AddMinutes(10), "PM", new Correction("Sam", "two causes")));

        await machine.StartDowntimeAsync(new StartDowntime("E12", null, "Anna", ShiftStart.AddMinutes(30)));
        await AssertRefused(MesErrorKind.Conflict, () => machine.StartDowntimeAsync(new StartDowntime("JAM", null, "Anna", ShiftStart.AddMinutes(31))));
        await AssertRefused(MesErrorKind.Invalid, () => machine.RecodeStopAsync(stop.StopId, "E12", new Correction("", "")));
    }

    [Fact]
    public async Task Corrections_are_new_events_that_change_the_figures()
    {
        var machine = await NewMachineAsync();
        await machine.ReportStateAsync(new ReportState(MachineState.Running, null, ShiftStart, EventSource.Operator));
        var stop = await machine.StartDowntimeAsync(new StartDowntime("E12", null, "Anna", ShiftStart.AddMinutes(60)));
        await machine.EndDowntimeAsync("Anna", ShiftStart.AddMinutes(90));
        var scrap = await machine.RecordScrapAsync(new RecordScrap(4, "S01", "Anna", ShiftStart.AddMinutes(95)));
        var before = await machine.GetShiftOeeAsync();
        Assert.Equal(TimeSpan.FromMinutes(30), before.PlannedBusyTime - before.RunTime);

        // The last 10 minutes of the stop were preventive maintenance (planned): no longer planned busy time.
        await machine.SplitStopAsync(stop.StopId, ShiftStart.AddMinutes(80), "PM", new Correction("Sam", "maintenance took over"));
        await machine.VoidEntryAsync(scrap.Id, new Correction("Sam", "counted twice"));
        var after = await machine.GetShiftOeeAsync();

        Assert.Equal(TimeSpan.FromMinutes(20), after.PlannedBusyTime - after.RunTime);
        Assert.Equal(TimeSpan.FromMinutes(10), (after.To - after.From) - after.PlannedBusyTime);
        Assert.Equal((0L, 0L), (after.TotalCount, after.ScrapCount));
        await AssertRefused(MesErrorKind.Conflict, () => machine.VoidEntryAsync(scrap.Id, new Correction("Sam", "again")));

        var kinds = (await machine.GetRecentEventsAsync(20)).Select(e => e.Kind).ToList();
        Assert.Equal([MachineEventKind.Voided, MachineEventKind.StopSplit, MachineEventKind.Counted], kinds.Take(3));
    }

    [Fact]
    public async Task Live_shift_oee_and_history_agree_on_the_same_events()
    {
        var path = await fixture.AddMachineAsync(idealCycleTimeSeconds: 20, microStopThresholdSeconds: 120);
        var machine = fixture.Grains.GetGrain<IMachineGrain>(path.ToString());

        // Parts counted by hand before the machine's first state: they count, the time before that state does not.
        await machine.RecordGoodCountAsync(new RecordGoodCount(3, "Anna", ShiftStart.AddMinutes(2)));
        await machine.ReportStateAsync(new ReportState(MachineState.Running, null, ShiftStart.AddMinutes(5), EventSource.Operator));
        await machine.RecordGoodCountAsync(new RecordGoodCount(117, "Anna", ShiftStart.AddMinutes(40)));
        var stop = await machine.StartDowntimeAsync(new StartDowntime("E12", null, "Anna", ShiftStart.AddMinutes(50)));
        await machine.EndDowntimeAsync("Anna", ShiftStart.AddMinutes(51));               // a minor stop
        await machine.StartDowntimeAsync(new StartDowntime("JAM", null, "Anna", ShiftStart.AddMinutes(70)));
        await machine.EndDowntimeAsync("Anna", ShiftStart.AddMinutes(85));
        await machine.RecordScrapAsync(new RecordScrap(7, "S01", "Anna", ShiftStart.AddMinutes(86)));
        await machine.RecodeStopAsync(stop.StopId, "JAM", new Correction("Sam", "it was a jam"));
        await machine.StartDowntimeAsync(new StartDowntime("PM", null, "Anna", ShiftStart.AddMinutes(100)));

        var live = await machine.GetShiftOeeAsync();
        var history = await HistoryOf(fixture.Cluster.Primary!).ForAsync(path, live.From, live.To);

        Assert.Equal(live, history);
        Assert.Equal((127L, 7L), (live.TotalCount, live.ScrapCount));
        Assert.Equal(TimeSpan.FromMinutes(5), live.UnmonitoredTime);
        Assert.Equal(ShiftStart.AddMinutes(5), live.DataSince);

        // A window that starts after the first state is monitored throughout, from history as from the grain.
        var later = await HistoryOf(fixture.Cluster.Primary!).ForAsync(path, ShiftStart.AddMinutes(30), live.To);
        Assert.Equal(TimeSpan.Zero, later.UnmonitoredTime);
        Assert.Null(later.DataSince);
    }

    [Fact]
    public async Task History_oee_over_a_past_window_matches_a_hand_calculation()
    {
        var path = await fixture.AddMachineAsync(idealCycleTimeSeconds: 20);
        var machine = fixture.Grains.GetGrain<IMachineGrain>(path.ToString());
        var t0 = ShiftStart.AddMinutes(10);
        await machine.ReportStateAsync(new ReportState(MachineState.Running, null, t0, EventSource.Operator));
        await machine.RecordGoodCountAsync(new RecordGoodCount(100, "Anna", t0.AddMinutes(10)));
        await machine.StartDowntimeAsync(new StartDowntime("E12", null, "Anna", t0.AddMinutes(20)));
        await machine.EndDowntimeAsync("Anna", t0.AddMinutes(35));
        await machine.RecordScrapAsync(new RecordScrap(5, "S01", "Anna", t0.AddMinutes(40)));
        await machine.RecordGoodCountAsync(new RecordGoodCount(50, "Anna", t0.AddMinutes(70)));   // outside the window

        var oee = await HistoryOf(fixture.Cluster.Primary!).ForAsync(path, t0, t0.AddMinutes(60));

        // PBT 60 min; the 15-minute breakdown leaves APT 45 min: A = 45/60 = 0.75.
        // Total 105 (100 good + 5 scrap counted by hand): P = 20 s × 105 / 2700 s = 0.7778; Q = 100/105 = 0.9524.
        Assert.Equal(TimeSpan.FromMinutes(60), oee.PlannedBusyTime);
        Assert.Equal(TimeSpan.FromMinutes(45), oee.RunTime);
        Assert.Equal(0.75, oee.Availability!.Value, 6);
        Assert.Equal(2100.0 / 2700, oee.Performance!.Value, 6);
        Assert.Equal(100.0 / 105, oee.Quality!.Value, 6);
        Assert.Equal(0.75 * (2100.0 / 2700) * (100.0 / 105), oee.Oee!.Value, 6);
    }

    [Fact]
    public async Task A_line_adds_its_machines_components()
    {
        var first = await fixture.AddMachineAsync(idealCycleTimeSeconds: 10);
        var second = await fixture.AddMachineAsync(idealCycleTimeSeconds: 30);
        foreach (var path in new[] { first, second })
        {
            await fixture.Grains.GetGrain<IMachineGrain>(path.ToString())
                .ReportStateAsync(new ReportState(MachineState.Running, null, ShiftStart, EventSource.Operator));
        }

        await fixture.Grains.GetGrain<IMachineGrain>(first.ToString()).RecordGoodCountAsync(new RecordGoodCount(60, "Anna", ShiftStart.AddMinutes(1)));
        await fixture.Grains.GetGrain<IMachineGrain>(second.ToString()).RecordScrapAsync(new RecordScrap(2, "S01", "Anna", ShiftStart.AddMinutes(1)));

        var line = await fixture.Grains.GetGrain<Lines.ILineGrain>(first.LinePath.ToString()).GetStatusAsync();
        var ours = line.Machines.Where(m => m.Id == first.ToString() || m.Id == second.ToString()).Select(m => m.ShiftOee!).ToList();

        Assert.Equal(2, ours.Count);
        Assert.Equal(line.Machines.Sum(m => m.ShiftOee!.TotalCount), line.ShiftOee!.TotalCount);
        Assert.Equal(TimeSpan.FromSeconds(10 * 60 + 30 * 2), ours.Aggregate(TimeSpan.Zero, (sum, o) => sum + o.IdealRunTime));
        Assert.Equal(TimeSpan.FromSeconds(10 * 60), ours.Aggregate(TimeSpan.Zero, (sum, o) => sum + o.IdealGoodTime));
    }

    [Fact]
    public async Task Unknown_machines_are_not_found_and_retired_ones_take_no_records()
    {
        var unknown = fixture.Grains.GetGrain<IMachineGrain>($"{ClusterPlant.SiteId}/{ClusterPlant.LineId}/never-configured");
        await AssertRefused(MesErrorKind.NotFound, () => unknown.GetStatusAsync());

        var path = await fixture.AddMachineAsync();
        var machine = fixture.Grains.GetGrain<IMachineGrain>(path.ToString());
        await machine.RecordGoodCountAsync(new RecordGoodCount(3, "Anna"));
        var plant = fixture.Grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key);
        var model = (await plant.GetModelAsync()).Model;
        var without = model with
        {
            Sites = [model.Sites[0] with { Lines = [model.Sites[0].Lines[0] with { Machines = model.Sites[0].Lines[0].Machines.Where(m => m.Id != path.Machine).ToList() }] }],
        };

        var applied = await plant.ApplyAsync(without);

        Assert.Contains(path.ToString(), applied.RetiredMachines);
        Assert.True((await machine.GetStatusAsync()).Retired);
        await AssertRefused(MesErrorKind.Conflict, () => machine.RecordGoodCountAsync(new RecordGoodCount(1, "Anna")));

        await plant.ApplyAsync(model);
        var back = await machine.GetStatusAsync();
        Assert.False(back.Retired);
        Assert.Equal(3, back.ShiftOee!.TotalCount);
    }

    [Fact]
    public async Task A_breakdown_that_outlasts_a_minor_stop_opens_one_maintenance_ticket_and_other_stops_none()
    {
        var path = await fixture.AddMachineAsync(microStopThresholdSeconds: 120);
        var machine = fixture.Grains.GetGrain<IMachineGrain>(path.ToString());
        var board = fixture.Grains.GetGrain<MesOrleans.Maintenance.IMaintenanceBoardGrain>(path.Site);

        await machine.StartDowntimeAsync(new StartDowntime("JAM", null, "Anna", ShiftStart.AddMinutes(10)));
        await machine.EndDowntimeAsync("Anna", ShiftStart.AddMinutes(20));
        Assert.DoesNotContain(await board.GetQueueAsync(), t => t.MachineId == path.ToString());

        var breakdown = await machine.StartDowntimeAsync(new StartDowntime("E12", "leak", "Anna", ShiftStart.AddMinutes(30)));
        await machine.RecodeOpenStopAsync("E12", "Anna");

        var tickets = (await board.GetQueueAsync()).Where(t => t.MachineId == path.ToString()).ToList();
        var ticket = Assert.Single(tickets);
        Assert.Equal(breakdown.StopId, ticket.StopId);
        Assert.Equal(MachineState.Down, (await machine.GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_plc_code_fills_an_unassigned_stop_but_never_replaces_an_operators_reason()
    {
        var machine = await NewMachineAsync();
        var id = (await machine.GetStatusAsync()).Id;
        var at = ShiftStart.AddMinutes(10);
        TelemetryEvent State(int minute, string? reason) =>
            new(id, TelemetrySignal.State, ShiftStart.AddMinutes(minute), DateTimeOffset.UtcNow) { State = MachineState.Down, ReasonCode = reason };

        await machine.ApplyTelemetryAsync(State(10, "X99"));
        Assert.Null((await machine.GetStatusAsync()).OpenStop!.ReasonCode);

        await machine.ApplyTelemetryAsync(State(11, "E12"));
        var coded = (await machine.GetStatusAsync()).OpenStop!;
        Assert.Equal(("E12", at), (coded.ReasonCode, coded.Since));

        await machine.RecodeOpenStopAsync("JAM", "Anna");
        await machine.ApplyTelemetryAsync(State(12, "E12"));
        Assert.Equal("JAM", (await machine.GetStatusAsync()).OpenStop!.ReasonCode);
    }

    [Fact]
    public async Task A_machine_that_counts_itself_takes_good_parts_by_hand_only_with_the_reason_its_counter_cannot_be_trusted()
    {
        var machine = await NewMachineAsync();
        var id = (await machine.GetStatusAsync()).Id;
        TelemetryEvent Count(int minute, long total) =>
            new(id, TelemetrySignal.Count, ShiftStart.AddMinutes(minute), DateTimeOffset.UtcNow) { Total = total };
        await machine.ApplyTelemetryAsync(Count(10, 100));
        await machine.ApplyTelemetryAsync(Count(20, 130));

        await AssertRefused(MesErrorKind.Conflict, () => machine.RecordGoodCountAsync(new RecordGoodCount(12, "Anna", ShiftStart.AddMinutes(25))));
        await AssertRefused(MesErrorKind.Invalid, () => machine.RecordGoodCountAsync(
            new RecordGoodCount(12, "Anna", ShiftStart.AddMinutes(25), new string('x', TextLimits.Note + 1))));
        var entry = await machine.RecordGoodCountAsync(new RecordGoodCount(12, "Anna", ShiftStart.AddMinutes(25), "Counter broken"));

        Assert.Equal(30 + 12, (await machine.GetShiftOeeAsync()).TotalCount);
        Assert.Equal((EventSource.Operator, 12L), (entry.Source, entry.TotalDelta));
        Assert.Contains("Counter broken", entry.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_breakdown_replayed_from_a_gateways_buffer_opens_a_ticket_only_if_the_machine_is_still_down_once_caught_up()
    {
        var over = await NewMachineAsync();
        var still = await NewMachineAsync();
        var board = fixture.Grains.GetGrain<MesOrleans.Maintenance.IMaintenanceBoardGrain>(EquipmentPath.Parse((await over.GetStatusAsync()).Id).Site);
        var now = DateTimeOffset.UtcNow;
        TelemetryEvent State(IMachineGrain machine, string id, DateTimeOffset at, MachineState state) =>
            new(id, TelemetrySignal.State, at, now) { State = state, ReasonCode = state == MachineState.Down ? "E12" : null };
        var overId = (await over.GetStatusAsync()).Id;
        var stillId = (await still.GetStatusAsync()).Id;

        // An hour-old breakdown arrives now: nothing yet, the replay has not caught up.
        await over.ApplyTelemetryAsync(State(over, overId, now.AddHours(-1), MachineState.Down));
        await still.ApplyTelemetryAsync(State(still, stillId, now.AddHours(-1), MachineState.Down));
        Assert.DoesNotContain(await board.GetQueueAsync(), t => t.MachineId == overId || t.MachineId == stillId);

        // The rest of the buffer: one machine ran again long ago, the other is still down now.
        await over.ApplyTelemetryAsync(State(over, overId, now.AddMinutes(-50), MachineState.Running));
        await still.ApplyTelemetryAsync(State(still, stillId, now.AddSeconds(-5), MachineState.Down));

        var queue = await board.GetQueueAsync();
        Assert.DoesNotContain(queue, t => t.MachineId == overId);
        Assert.Single(queue, t => t.MachineId == stillId);
    }

    [Fact]
    public async Task Scrap_the_machine_counted_without_a_reason_can_be_given_one_afterwards_and_the_pareto_follows()
    {
        var path = await fixture.AddMachineAsync();
        var machine = fixture.Grains.GetGrain<IMachineGrain>(path.ToString());
        TelemetryEvent Count(int minute, long total, long scrap) =>
            new(path.ToString(), TelemetrySignal.Count, ShiftStart.AddMinutes(minute), DateTimeOffset.UtcNow) { Total = total, Scrap = scrap };
        await machine.ApplyTelemetryAsync(Count(10, 100, 0));
        await machine.ApplyTelemetryAsync(Count(20, 150, 7));
        Assert.Equal(7, (await machine.GetStatusAsync()).UnassignedScrap);

        await AssertRefused(MesErrorKind.Invalid, () => machine.AssignScrapReasonAsync(new AssignScrapReason(8, "S01", "Anna")));
        await AssertRefused(MesErrorKind.Invalid, () => machine.AssignScrapReasonAsync(new AssignScrapReason(2, "NOPE", "Anna")));
        await machine.AssignScrapReasonAsync(new AssignScrapReason(5, "S01", "Anna"));

        var status = await machine.GetStatusAsync();
        Assert.Equal((2L, 7L, 50L), (status.UnassignedScrap, status.ShiftOee!.ScrapCount, status.ShiftOee.TotalCount));
        // This machine's events only: other tests share the line.
        var services = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;
        var now = DateTimeOffset.UtcNow;
        var plant = await services.GetRequiredService<PlantCatalog>().GetCurrentAsync();
        var cells = await ReportCells.ReadAsync(services.GetRequiredService<IRollupReader>(), plant, new ReportRequest(path, ShiftStart, now), now);
        var losses = LossReport.Compute(plant, cells);
        Assert.Equal(5, losses.Scrap.Single(b => b.Code == "S01").Amount);
        Assert.Equal(2, losses.Scrap.Single(b => b.Code != "S01").Amount);
    }

    private async Task<IMachineGrain> NewMachineAsync() =>
        fixture.Grains.GetGrain<IMachineGrain>((await fixture.AddMachineAsync()).ToString());

    private static OeeHistory HistoryOf(SiloHandle silo) =>
        ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<OeeHistory>();

    private static async Task AssertRefused(MesErrorKind kind, Func<Task> command)
    {
        var refused = await Assert.ThrowsAsync<MesCommandException>(command);
        Assert.Equal(kind, refused.Kind);
    }
}
