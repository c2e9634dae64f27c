using MesOrleans.Errors;
using MesOrleans.Lines;
using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Quality;
using MesOrleans.Telemetry;
using MesOrleans.Tests.Cluster;
using MesOrleans.WorkOrders;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.TestingHost;

namespace MesOrleans.Tests.WorkOrders;

/// <summary>
/// Work orders count themselves: the counting machine's counts (telemetry or by hand) accrue to the order running at
/// their time, exactly once, across pauses, restarts and crashes; other machines' counts never do.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkOrderCountingTests(ClusterFixture fixture)
{
    private IWorkOrderBookGrain Book => fixture.Grains.GetGrain<IWorkOrderBookGrain>(ClusterPlant.SiteId);

    [Fact]
    public async Task Telemetry_counts_of_the_counting_machine_accrue_once_across_a_pause_a_restart_and_a_redelivery()
    {
        var machines = await fixture.AddLineAsync([10, 20]);
        var (first, counting) = (Machine(machines[0]), Machine(machines[^1]));
        var order = await StartedOrderAsync(machines[0].LinePath, "P-100");
        var clock = new Clock();

        await CountAsync(counting, clock, total: 1_000, scrap: 0);        // the first values ever seen are the baseline
        await CountAsync(counting, clock, total: 1_010);                  // 10 made
        await CountAsync(counting, clock, total: 1_015, scrap: 2);        // 5 more, 2 of them scrap
        await CountAsync(first, clock, total: 500);
        await CountAsync(first, clock, total: 600);                       // the first machine's parts are not the line's output
        await counting.RecordScrapAsync(new RecordScrap(3, "S01", "Anna")); // 3 the machine counted good are scrapped by hand

        Assert.Equal((10L, 5L), Counts(await Order(order).GetProgressAsync()));

        await Book.PauseAsync(order);
        await CountAsync(counting, clock, total: 1_022);                  // made while paused: not the order's
        await Book.ResumeAsync(order);
        var redelivered = Telemetry(counting, clock.Next(), total: 1_026);
        await counting.ApplyTelemetryAsync(redelivered);                  // 4 more

        // A restart of both grains, then the same message again: counted once.
        await DeactivateAsync(Order(order));
        await DeactivateAsync(counting);
        await counting.ApplyTelemetryAsync(redelivered);

        var progress = await Order(order).GetProgressAsync();
        Assert.Equal((14L, 5L), Counts(progress));
        Assert.Equal(new Dictionary<string, long> { ["S01"] = 3, [""] = 2 }, progress.ScrapByReason);
        Assert.Equal(machines[^1].ToString(), progress.CountingMachine);

        var done = await Book.CompleteAsync(order);
        await CountAsync(counting, clock, total: 1_030);                  // after completion: not the order's
        Assert.Equal((WorkOrderStatus.Completed, 14L, 5L), (done.Status, done.Good, done.Scrap));
        Assert.Equal((14L, 5L), Counts(await Order(order).GetProgressAsync()));
        Assert.Null((await fixture.Grains.GetGrain<ILineGrain>(machines[0].LinePath.ToString()).GetStatusAsync()).ActiveWorkOrder);
    }

    [Fact]
    public async Task Counts_by_hand_accrue_and_a_voided_entry_is_taken_back_also_after_the_order_lost_its_memory()
    {
        var machines = await fixture.AddLineAsync([30]);
        var machine = Machine(machines[0]);
        var order = await StartedOrderAsync(machines[0].LinePath, "P-200");

        await machine.RecordGoodCountAsync(new RecordGoodCount(50, "Anna"));
        var mistake = await machine.RecordGoodCountAsync(new RecordGoodCount(20, "Anna"));
        Assert.Equal((70L, 0L), Counts(await Order(order).GetProgressAsync()));

        // The order's grain keeps nothing it has not saved: losing its activation is what a crash does to it.
        await DeactivateAsync(Order(order));
        await machine.RecordScrapAsync(new RecordScrap(5, "S01", "Anna"));
        await machine.VoidEntryAsync(mistake.Id, new Correction("Sam", "counted twice"));

        Assert.Equal((50L, 5L), Counts(await Order(order).GetProgressAsync()));
        await DeactivateAsync(Order(order));
        Assert.Equal((50L, 5L), Counts(await Order(order).GetProgressAsync()));
    }

    [Fact]
    public async Task A_required_first_article_holds_good_parts_until_it_passes_and_a_failed_one_keeps_them_held()
    {
        var machines = await fixture.AddLineAsync([30]);
        var machine = Machine(machines[0]);
        const string Part = "P-FA-1";
        await fixture.Grains.GetGrain<IPartQualityGrain>(Part).SetPlanAsync(new InspectionPlan(Part,
            [new Characteristic("diameter", CharacteristicKind.Measured, 10, 9.9, 10.1, "mm", 1)], FirstArticleRequired: true));
        var order = await StartedOrderAsync(machines[0].LinePath, Part);

        await machine.RecordGoodCountAsync(new RecordGoodCount(4, "Anna"));
        var progress = await Order(order).GetProgressAsync();
        Assert.Equal((FirstArticleGate.Pending, 0L, 4L), (progress.Gate, progress.Good, progress.Held));

        var failed = await Inspect(Part, order, 10.3);
        await machine.RecordGoodCountAsync(new RecordGoodCount(3, "Anna"));
        progress = await Order(order).GetProgressAsync();
        Assert.False(failed.Passed);
        Assert.Equal((FirstArticleGate.Failed, 0L, 7L), (progress.Gate, progress.Good, progress.Held));

        var passed = await Inspect(Part, order, 10.02);
        await machine.RecordGoodCountAsync(new RecordGoodCount(2, "Anna"));
        progress = await Order(order).GetProgressAsync();
        Assert.True(passed.Passed);
        Assert.Equal((FirstArticleGate.Passed, 9L, 0L), (progress.Gate, progress.Good, progress.Held));
    }

    [Fact]
    public async Task Every_machine_takes_the_products_ideal_cycle_time_while_its_order_runs_and_past_figures_keep_it()
    {
        var machines = await fixture.AddLineAsync([10, 20]);
        var product = new ProductModel("P-CT-1", "Cover", 40, new Dictionary<string, double> { [machines[0].ToString()] = 12 });
        await fixture.AddProductAsync(product);
        var (first, counting) = (Machine(machines[0]), Machine(machines[^1]));
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        foreach (var m in new[] { first, counting })
        {
            await m.ReportStateAsync(new ReportState(MachineState.Running, null, start, EventSource.Operator));
        }

        await first.RecordGoodCountAsync(new RecordGoodCount(10, "Anna", start.AddMinutes(1)));     // before the order: the machine's 10 s
        var order = await StartedOrderAsync(machines[0].LinePath, product.PartNumber);
        await first.RecordGoodCountAsync(new RecordGoodCount(10, "Anna"));                          // the product's 12 s on this machine
        await counting.RecordGoodCountAsync(new RecordGoodCount(10, "Anna"));                       // the product's own 40 s
        await Book.CompleteAsync(order);
        await counting.RecordGoodCountAsync(new RecordGoodCount(10, "Anna"));                       // back to the machine's 20 s

        var firstLive = await first.GetShiftOeeAsync();
        var countingLive = await counting.GetShiftOeeAsync();
        Assert.Equal(TimeSpan.FromSeconds((10 * 10) + (10 * 12)), firstLive.IdealRunTime);
        Assert.Equal(TimeSpan.FromSeconds((10 * 40) + (10 * 20)), countingLive.IdealRunTime);
        var history = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredService<OeeHistory>();
        Assert.Equal(firstLive, await history.ForAsync(machines[0], firstLive.From, firstLive.To));
        Assert.Equal(countingLive, await history.ForAsync(machines[^1], countingLive.From, countingLive.To));

        // New master data changes no figure of the past.
        await fixture.AddProductAsync(product with { IdealCycleTimeSeconds = 5, Machines = null });
        Assert.Equal(countingLive.IdealRunTime, (await history.ForAsync(machines[^1], countingLive.From, countingLive.To)).IdealRunTime);

        var orderEvents = (await first.GetRecentEventsAsync(20)).Where(e => e.Kind == MachineEventKind.OrderChanged).ToList();
        Assert.Equal([null, order], orderEvents.Select(e => e.OrderNumber));
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12)], orderEvents.Select(e => e.IdealCycleTime));
    }

    [Fact]
    public async Task A_lines_output_is_its_counting_machines_count_and_its_total_a_sum_that_says_so()
    {
        var machines = await fixture.AddLineAsync([10, 10, 10]);
        foreach (var path in machines)
        {
            await Machine(path).RecordGoodCountAsync(new RecordGoodCount(100, "Anna"));
        }

        await Machine(machines[^1]).RecordScrapAsync(new RecordScrap(4, "S01", "Anna"));
        var line = await fixture.Grains.GetGrain<ILineGrain>(machines[0].LinePath.ToString()).GetStatusAsync();

        Assert.Equal(machines[^1].ToString(), line.CountingMachineId);
        Assert.Equal((304L, 4L), (line.ShiftOee!.TotalCount, line.ShiftOee.ScrapCount));
        Assert.Equal((104L, 100L), (line.ShiftOee.OutputCount, line.ShiftOee.OutputGoodCount));
        Assert.False(line.ShiftOee.CountsAreOutput);
    }

    [Fact]
    public async Task One_order_runs_on_a_line_at_a_time_dispatch_starts_the_first_released_one_and_the_queue_can_be_reordered()
    {
        var machines = await fixture.AddLineAsync([10]);
        var line = machines[0].LinePath.ToString();
        var a = await PlannedAsync(line, "P-Q");
        var b = await PlannedAsync(line, "P-Q");
        var c = await PlannedAsync(line, "P-Q");
        foreach (var order in new[] { a, b, c })
        {
            await Book.ReleaseAsync(order);
        }

        var queue = await Book.MoveAsync(c, 1);
        Assert.Equal([c, a, b], queue.Select(e => e.OrderNumber));

        var started = await Book.DispatchAsync(line);
        Assert.Equal(c, started.OrderNumber);
        var conflict = await Assert.ThrowsAsync<MesCommandException>(() => Book.StartAsync(a));
        Assert.Equal(MesErrorKind.Conflict, conflict.Kind);
        await Assert.ThrowsAsync<MesCommandException>(() => Book.DispatchAsync(line));

        await Book.PauseAsync(c);
        Assert.Equal(a, (await Book.DispatchAsync(line)).OrderNumber);
        Assert.Equal(MesErrorKind.Conflict, (await Assert.ThrowsAsync<MesCommandException>(() => Book.ResumeAsync(c))).Kind);
    }

    [Fact]
    public async Task An_import_is_all_or_nothing_and_the_same_file_again_changes_nothing()
    {
        var machines = await fixture.AddLineAsync([10]);
        var line = machines[0].LinePath.ToString();
        var started = await StartedOrderAsync(machines[0].LinePath, "P-I");
        var n = Guid.NewGuid().ToString("N")[..8];
        WorkOrderImportRow Row(int lineNo, string order, long quantity = 10, string? onLine = null) =>
            new(lineNo, new WorkOrderPlan(order, "P-I", quantity, onLine ?? line, DateTimeOffset.UtcNow.Date.AddDays(3)));

        var bad = await Book.ImportAsync([Row(2, $"I{n}-1"), Row(3, $"I{n}-2", quantity: 0), Row(4, $"I{n}-1"), Row(5, started), Row(6, $"I{n}-3", onLine: "test/nowhere")], dryRun: false);
        Assert.Equal(
            [(3, "quantity"), (4, "order"), (5, "order"), (6, "line")],
            bad.Errors.Select(e => (e.Line, e.Column)));
        Assert.Null(await Book.FindAsync($"I{n}-1"));

        IReadOnlyList<WorkOrderImportRow> good = [Row(2, $"I{n}-1"), Row(3, $"I{n}-2", quantity: 20)];
        Assert.Equal((2, 0, 0), Outcome(await Book.ImportAsync(good, dryRun: true)));
        Assert.Null(await Book.FindAsync($"I{n}-1"));
        Assert.Equal((2, 0, 0), Outcome(await Book.ImportAsync(good, dryRun: false)));
        Assert.Equal((0, 0, 2), Outcome(await Book.ImportAsync(good, dryRun: false)));
        Assert.Equal((0, 1, 1), Outcome(await Book.ImportAsync([good[0], Row(3, $"I{n}-2", quantity: 25)], dryRun: false)));
        Assert.Equal(25, (await Book.FindAsync($"I{n}-2"))!.Plan.Quantity);
    }

    private static (long Good, long Scrap) Counts(WorkOrderProgress progress) => (progress.Good, progress.Scrap);

    private static (int, int, int) Outcome(WorkOrderImportOutcome outcome) => (outcome.Created, outcome.Updated, outcome.Unchanged);

    private IMachineGrain Machine(EquipmentPath path) => fixture.Grains.GetGrain<IMachineGrain>(path.ToString());

    private IWorkOrderGrain Order(string orderNumber) => fixture.Grains.GetGrain<IWorkOrderGrain>(orderNumber);

    private async Task<string> PlannedAsync(EquipmentPath line, string part) => await PlannedAsync(line.ToString(), part);

    private async Task<string> PlannedAsync(string line, string part)
    {
        // Once the plant names products, an order's part must be one of them.
        if ((await fixture.Grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key).GetModelAsync()).Model.Products?.Any(p => p.PartNumber == part) != true)
        {
            await fixture.AddProductAsync(new ProductModel(part, part, 10));
        }

        var number = "WO-" + Guid.NewGuid().ToString("N")[..12];
        await Book.CreateAsync(new WorkOrderPlan(number, part, 1_000, line));
        return number;
    }

    private async Task<string> StartedOrderAsync(EquipmentPath line, string part)
    {
        var number = await PlannedAsync(line, part);
        await Book.ReleaseAsync(number);
        await Book.StartAsync(number);
        return number;
    }

    private Task<Inspection> Inspect(string part, string order, double diameter) =>
        fixture.Grains.GetGrain<IPartQualityGrain>(part).InspectAsync(new InspectionInput(
            part, order, ClusterPlant.SiteId, InspectionKind.FirstArticle, DateTimeOffset.UtcNow, [new CharacteristicResult("diameter", [diameter])], "Quinn"));

    private static async Task CountAsync(IMachineGrain machine, Clock clock, long total, long? scrap = null) =>
        await machine.ApplyTelemetryAsync(Telemetry(machine, clock.Next(), total, scrap));

    private static TelemetryEvent Telemetry(IMachineGrain machine, DateTimeOffset at, long total, long? scrap = null) =>
        new(machine.GetPrimaryKeyString(), TelemetrySignal.Count, at, at) { Total = total, Scrap = scrap };

    private static async Task DeactivateAsync(IAddressable grain) => await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

    // Event times a second apart from now on: after the order's start, never in the future.
    private sealed class Clock
    {
        private DateTimeOffset _at = DateTimeOffset.UtcNow;

        public DateTimeOffset Next()
        {
            var now = DateTimeOffset.UtcNow;
            _at = now > _at ? now : _at.AddMilliseconds(1);
            return _at;
        }
    }
}
