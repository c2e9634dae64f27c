using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;
using MesOrleans.Testing;
using MesOrleans.Tests.Plant;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesOrleans.Tests.Reports.Rollup;

/// <summary>
/// What rollups promise in every database: filed by the event log's writer in the transaction of the events, caught up
/// in the background when a machine's cursor is behind, and read back to exactly the figures of the raw events.
/// </summary>
public abstract class RollupStoreContract : IAsyncLifetime
{
    private static readonly PlantView Plant = new(new PlantModelSnapshot(1, TestPlant.Valid, []));

    private EventLogWriter? _writer;
    private RollupFollower? _follower;
    private PlantCatalog _catalog = null!;

    /// <summary>Why the database cannot be had on this machine, or null: the tests then skip (or fail under CI).</summary>
    protected virtual string? MissingComponent => null;

    private protected abstract IRollupReader Reader { get; }

    private protected abstract IRollupStore Store { get; }

    public async Task InitializeAsync()
    {
        if (MissingComponent is not null)
        {
            return;
        }

        await CreateDatabaseAsync();
        _catalog = new PlantCatalog(null!, TimeProvider.System);
        _follower = new RollupFollower(_catalog, Store, NullLogger<RollupFollower>.Instance);
        _writer = NewWriter(_follower);
        await _writer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.StopAsync(CancellationToken.None);
            await DropDatabaseAsync();
        }
    }

    protected abstract Task CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    private protected abstract EventLogWriter NewWriter(RollupFollower follower);

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(17)]
    public async Task Rollups_filed_with_the_events_read_back_to_the_figures_of_the_raw_events(int seed)
    {
        RequiredComponent.SkipOrFailIfMissing(MissingComponent);
        _catalog.Publish(new PlantModelSnapshot(1, TestPlant.Valid, []));
        var events = await AppendAsync(new Random(seed));

        await AssertAgreeAsync(events, new Random(seed));
    }

    [SkippableFact]
    public async Task A_log_written_before_there_were_rollups_is_caught_up_in_the_background()
    {
        RequiredComponent.SkipOrFailIfMissing(MissingComponent);

        // No plant model in the process yet: the writer files nothing and leaves every machine behind.
        var events = await AppendAsync(new Random(5));
        Assert.Empty(await Reader.CursorsAsync("plant1"));

        _catalog.Publish(new PlantModelSnapshot(1, TestPlant.Valid, []));
        Assert.NotEmpty(await Store.BehindAsync(["plant1/assembly/press-1", "plant1/assembly/press-2", "plant1/packaging/filler-1"], CancellationToken.None));
        await CatchUpAsync();

        Assert.Empty(await Store.BehindAsync(["plant1/assembly/press-1", "plant1/assembly/press-2", "plant1/packaging/filler-1"], CancellationToken.None));
        await AssertAgreeAsync(events, new Random(5));
    }

    private Task CatchUpAsync()
    {
        // The background loop's one pass, without its waiting.
        return _follower!.CatchUpAsync(CancellationToken.None);
    }

    private async Task<List<MachineEvent>> AppendAsync(Random random)
    {
        var history = RollupHistories.Generate(random, 300);
        var numbered = RollupHistories.Number(history);
        var byMachine = numbered.GroupBy(e => e.MachineId).ToDictionary(g => g.Key, g => g.ToList());

        // Each machine appends its events in order, a few at a time; machines append at once and share commits.
        await Task.WhenAll(byMachine.Values.Select(async events =>
        {
            for (var i = 0; i < events.Count;)
            {
                var take = random.Next(1, 8);
                await _writer!.AppendAsync(new MachineAppend(events[0].MachineId, events.Skip(i).Take(take).ToList()));
                i += take;
            }
        }));
        return numbered;
    }

    private async Task AssertAgreeAsync(List<MachineEvent> events, Random random)
    {
        var end = events.Max(e => e.Timestamp);
        for (var window = 0; window < 12; window++)
        {
            var now = end + TimeSpan.FromMinutes(random.Next(-30, 600));
            var from = RollupHistories.Start + TimeSpan.FromMinutes(random.Next(-120, 60 * 50));
            var to = from + TimeSpan.FromMinutes(random.Next(1, 60 * 48));
            var scope = window % 3 == 0 ? EquipmentPath.Parse(RollupHistories.Machines[window % 3]) : window % 3 == 1 ? EquipmentPath.ForLine("plant1", "assembly") : EquipmentPath.ForSite("plant1");
            var expected = RawReport.Of(Plant, scope, events, from, to, now);
            var actual = await RawReport.FromRollupsAsync(Reader, Plant, new ReportRequest(scope, from, to), now);
            RollupPropertyTests.AssertSame(expected, actual, $"{scope} [{from:O}, {to:O}) now {now:O}");
        }
    }
}
