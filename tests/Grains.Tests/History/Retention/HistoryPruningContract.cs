using System.Data.Common;
using MesOrleans.History;
using MesOrleans.History.Retention;
using MesOrleans.Hosting;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.Reports.Rollup;
using MesOrleans.Testing;
using MesOrleans.Tests.Plant;
using MesOrleans.Tests.Reports.Rollup;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MesOrleans.Tests.History.Retention;

/// <summary>
/// What retention promises in every database, for real: sixty days of three machines, a fixed clock, thirty days kept.
/// What a machine needs to replay after its snapshot, what its rollups have not filed, and its newest event stay,
/// whatever their age; the rest before the cutoff goes, and so do the rollups of whole days before it.
/// </summary>
public abstract class HistoryPruningContract : IAsyncLifetime
{
    private const string Snapshotted = "plant1/assembly/press-1";
    private const string Quiet = "plant1/assembly/press-2";
    private const string NeverSnapshotted = "plant1/packaging/filler-1";
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Start.AddDays(60);
    protected static readonly DateTimeOffset Cutoff = Now.AddDays(-30);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly List<MachineEvent> _events = [];
    private readonly Dictionary<string, long> _snapshots = [];
    private PlantCatalog _catalog = null!;
    private EventLogWriter? _writer;

    /// <summary>Why the database cannot be had on this machine, or null: the tests then skip (or fail under CI).</summary>
    protected virtual string? MissingComponent => null;

    private protected abstract IRollupReader Rollups { get; }

    private protected abstract IRollupStore RollupStore { get; }

    /// <summary>What a silo of this store prunes with.</summary>
    private protected abstract IHistoryPruning Pruning { get; }

    /// <summary>Rows of every grain state's payload, as text, in a fixed order.</summary>
    protected abstract string GrainStatesSql { get; }

    // Both stores' writers are also the log they write.
    private IMachineEventLog Log => (IMachineEventLog)_writer!;

    public async Task InitializeAsync()
    {
        if (MissingComponent is not null)
        {
            return;
        }

        await CreateDatabaseAsync();
        _catalog = new PlantCatalog(null!, _clock);
        _catalog.Publish(new PlantModelSnapshot(1, TestPlant.Valid, []));
        _writer = NewWriter(new RollupFollower(_catalog, RollupStore, NullLogger<RollupFollower>.Instance));
        await _writer.StartAsync(CancellationToken.None);

        // Twice a day: running, a count, a stop with a reason. press-2 went quiet after 25 days.
        foreach (var (machine, until) in new[] { (Snapshotted, Now), (Quiet, Start.AddDays(25)), (NeverSnapshotted, Now) })
        {
            var events = new List<MachineEvent>();
            for (var at = Start.AddHours(6); at < until; at = at.AddHours(12))
            {
                events.Add(Event(machine, MachineEventKind.StateChanged, at) with { State = MachineState.Running });
                events.Add(Event(machine, MachineEventKind.Counted, at.AddHours(2)) with { TotalDelta = 100, ScrapDelta = 3, ReasonCode = "S01", IdealCycleTime = TimeSpan.FromSeconds(30) });
                events.Add(Event(machine, MachineEventKind.StateChanged, at.AddHours(3)) with { State = MachineState.Down, ReasonCode = "E12" });
            }

            var numbered = RollupHistories.Number(events);
            await _writer.AppendAsync(new MachineAppend(machine, numbered));
            _events.AddRange(numbered);
        }

        // press-1's snapshot includes its first twenty days; press-2's everything; filler-1 has none.
        await SnapshotAsync(Snapshotted, Newest(Snapshotted, Start.AddDays(20)));
        await SnapshotAsync(Quiet, Newest(Quiet, Now));
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

    /// <summary>Writes a machine grain's state as its grain storage does.</summary>
    private protected abstract Task WriteSnapshotAsync(string machine, MachineGrainState state);

    /// <summary>The name in this store of a table of the event log or the rollups, given by its SQLite name.</summary>
    protected abstract string Table(string name);

    protected abstract Task<IReadOnlyList<object?[]>> QueryAsync(string sql);

    /// <summary>The rows a query answers, each as its column values.</summary>
    protected static async Task<IReadOnlyList<object?[]>> RowsAsync(DbCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Runs a statement on a connection of its own, outside the stores, as a mistaken tool would.</summary>
    protected abstract Task ExecuteAsync(string sql);

    [SkippableFact]
    public async Task Deletes_what_no_machine_needs_before_the_cutoff_and_keeps_the_rest()
    {
        RequiredComponent.SkipOrFailIfMissing(MissingComponent);
        var reports = new PeriodReports(Rollups, _catalog, _clock);
        var kept = new ReportQuery("plant1", Cutoff.AddDays(2), Now);
        var before = (await reports.ReadAsync(kept)).Total;
        var statesBefore = await QueryAsync(GrainStatesSql);

        await Retention(30).PruneAsync(CancellationToken.None);

        var remaining = await AssertKeptAsync(filedThrough: []);
        Assert.Contains(_events, e => e.MachineId == Snapshotted && e.Timestamp < Cutoff && !remaining.Contains((e.MachineId, e.Sequence)));
        Assert.Equal([Newest(Quiet, Now)], remaining.Where(s => s.Machine == Quiet).Select(s => s.Sequence));

        // A machine replays the same events after its snapshot; live state is untouched.
        Assert.Equal(
            _events.Where(e => e.MachineId == Snapshotted && e.Sequence > _snapshots[Snapshotted]).Select(e => e.Id),
            (await Log.ReadAfterAsync(Snapshotted, _snapshots[Snapshotted])).Select(e => e.Id));
        Assert.Equal(Text(statesBefore), Text(await QueryAsync(GrainStatesSql)));

        // Rollups of whole days before the cutoff are gone, later ones answer as before.
        var cutoffDay = DateOnly.FromDateTime(Cutoff.UtcDateTime).AddDays(-1).DayNumber;
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM {Table("report_piece")} WHERE end_ts < {Cutoff.UtcTicks};"));
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM {Table("report_time")} WHERE day < {cutoffDay};"));
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM {Table("report_count")} WHERE day < {cutoffDay};"));
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM {Table("report_day")} WHERE day < {cutoffDay};"));
        Assert.True(await CountAsync($"SELECT count(*) FROM {Table("report_count")} WHERE day > {cutoffDay};") > 0);
        Assert.Equal(before, (await reports.ReadAsync(kept)).Total);

        // The trigger still refuses deleting anything at or after the cutoff, and changing anything at all.
        await AssertRefusedAsync($"DELETE FROM {Table("machine_event")} WHERE ts >= {Cutoff.UtcTicks};");
        await AssertRefusedAsync($"UPDATE {Table("machine_event")} SET note = 'edited' WHERE ts < {Cutoff.UtcTicks};");
    }

    [SkippableFact]
    public async Task Events_the_rollups_have_not_filed_stay()
    {
        RequiredComponent.SkipOrFailIfMissing(MissingComponent);

        // press-1's rollups are behind: they have filed its first ten days only.
        var filed = Newest(Snapshotted, Start.AddDays(10));
        await ExecuteAsync($"UPDATE {Table("report_cursor")} SET last_seq = {filed} WHERE machine_id = '{Snapshotted}';");

        await Retention(30).PruneAsync(CancellationToken.None);

        var remaining = await AssertKeptAsync(filedThrough: new() { [Snapshotted] = filed });
        Assert.Contains(_events, e => e.MachineId == Snapshotted && e.Sequence <= filed && !remaining.Contains((e.MachineId, e.Sequence)));
    }

    [SkippableFact]
    public async Task Silos_pruning_at_once_delete_what_one_would()
    {
        RequiredComponent.SkipOrFailIfMissing(MissingComponent);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Retention(30).PruneAsync(CancellationToken.None))));

        await AssertKeptAsync(filedThrough: []);
    }

    [SkippableFact]
    public async Task Without_a_retention_history_is_kept_forever_and_nothing_may_be_deleted()
    {
        RequiredComponent.SkipOrFailIfMissing(MissingComponent);
        await Retention(30).PruneAsync(CancellationToken.None);
        var left = (await SequencesAsync()).Count;

        await Retention(null).PruneAsync(CancellationToken.None);

        Assert.Equal(left, (await SequencesAsync()).Count);
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM {Table("history_retention")};"));
        await AssertRefusedAsync($"DELETE FROM {Table("machine_event")};");
    }

    private HistoryRetention Retention(int? days) => new(
        Options.Create(new MesOptions { History = { RetentionDays = days } }), _clock, NullLogger<HistoryRetention>.Instance, Pruning);

    private async Task SnapshotAsync(string machine, long sequence)
    {
        _snapshots[machine] = sequence;
        await WriteSnapshotAsync(machine, new MachineGrainState { LastSequence = sequence });
    }

    private long Newest(string machine, DateTimeOffset before) => _events.Where(e => e.MachineId == machine && e.Timestamp < before).Max(e => e.Sequence);

    // Gone: older than the cutoff, in the machine's snapshot, filed by its rollups, and not its newest. Returns what is left.
    private async Task<HashSet<(string Machine, long Sequence)>> AssertKeptAsync(Dictionary<string, long> filedThrough)
    {
        var remaining = (await SequencesAsync()).ToHashSet();
        foreach (var e in _events)
        {
            var needed = Math.Min(_snapshots.GetValueOrDefault(e.MachineId), filedThrough.GetValueOrDefault(e.MachineId, long.MaxValue));
            var gone = e.Timestamp < Cutoff && e.Sequence <= needed && e.Sequence < Newest(e.MachineId, DateTimeOffset.MaxValue);
            Assert.True(gone != remaining.Contains((e.MachineId, e.Sequence)), $"{e.MachineId} #{e.Sequence} at {e.Timestamp:O}: expected {(gone ? "deleted" : "kept")}");
        }

        return remaining;
    }

    private async Task<List<(string Machine, long Sequence)>> SequencesAsync() =>
        (await QueryAsync($"SELECT machine_id, machine_seq FROM {Table("machine_event")};"))
            .Select(row => ((string)row[0]!, Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    private async Task<long> CountAsync(string sql) =>
        Convert.ToInt64((await QueryAsync(sql))[0][0], System.Globalization.CultureInfo.InvariantCulture);

    private async Task AssertRefusedAsync(string sql)
    {
        var refused = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(sql));
        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
    }

    private static List<string> Text(IReadOnlyList<object?[]> rows) => rows.Select(r => string.Join('|', r)).ToList();

    private static MachineEvent Event(string machine, MachineEventKind kind, DateTimeOffset at) =>
        new(Guid.NewGuid(), machine, kind, at, at.AddSeconds(1), EventSource.Telemetry);
}
