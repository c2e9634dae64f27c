using MesOrleans.History;
using MesOrleans.History.Retention;
using MesOrleans.Hosting;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.Reports.Rollup;
using MesOrleans.Storage;
using MesOrleans.Tests.Plant;
using MesOrleans.Tests.Reports.Rollup;
using MesOrleans.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace MesOrleans.Tests.History.Retention;

/// <summary>
/// Retention on the standalone mode's SQLite file, for real: sixty days of three machines, a fixed clock, thirty days
/// kept. What a machine needs to replay after its snapshot and what its rollups have not filed stay, whatever their age.
/// </summary>
public sealed class HistoryRetentionTests : IAsyncLifetime
{
    private const string Snapshotted = "plant1/assembly/press-1";
    private const string Fresh = "plant1/assembly/press-2";
    private const string NeverSnapshotted = "plant1/packaging/filler-1";
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Start.AddDays(60);
    private static readonly DateTimeOffset Cutoff = Now.AddDays(-30);

    private readonly TemporaryDirectory _directory = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly List<MachineEvent> _events = [];
    private MesDatabase _database = null!;
    private PlantCatalog _catalog = null!;
    private SqliteHistoryStore _log = null!;

    public async Task InitializeAsync()
    {
        _database = _directory.OpenDatabase();
        _catalog = new PlantCatalog(null!, _clock);
        _catalog.Publish(new PlantModelSnapshot(1, TestPlant.Valid, []));
        var follower = new RollupFollower(_catalog, new SqliteRollups(_database), NullLogger<RollupFollower>.Instance);
        _log = new SqliteHistoryStore(_database, NullLogger<SqliteHistoryStore>.Instance, follower);
        await _log.StartAsync(CancellationToken.None);

        // Twice a day: running, a count, a stop with a reason.
        foreach (var machine in new[] { Snapshotted, Fresh, NeverSnapshotted })
        {
            var events = new List<MachineEvent>();
            for (var at = Start.AddHours(6); at < Now; at = at.AddHours(12))
            {
                events.Add(Event(machine, MachineEventKind.StateChanged, at) with { State = MachineState.Running });
                events.Add(Event(machine, MachineEventKind.Counted, at.AddHours(2)) with { TotalDelta = 100, ScrapDelta = 3, ReasonCode = "S01", IdealCycleTime = TimeSpan.FromSeconds(30) });
                events.Add(Event(machine, MachineEventKind.StateChanged, at.AddHours(3)) with { State = MachineState.Down, ReasonCode = "E12" });
            }

            var numbered = RollupHistories.Number(events);
            await _log.AppendAsync(new MachineAppend(machine, numbered));
            _events.AddRange(numbered);
        }

        // press-1's snapshot includes its first twenty days; press-2's everything; filler-1 has none.
        await SnapshotAsync(Snapshotted, _events.Where(e => e.MachineId == Snapshotted && e.Timestamp < Start.AddDays(20)).Max(e => e.Sequence));
        await SnapshotAsync(Fresh, _events.Where(e => e.MachineId == Fresh).Max(e => e.Sequence));
    }

    public async Task DisposeAsync()
    {
        await _log.StopAsync(CancellationToken.None);
        await _database.DisposeAsync();
        await _services.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Deletes_what_no_machine_needs_before_the_cutoff_and_keeps_the_rest()
    {
        var reports = new PeriodReports(new SqliteRollups(_database), _catalog, _clock);
        var kept = new ReportQuery("plant1", Cutoff.AddDays(2), Now);
        var before = (await reports.ReadAsync(kept)).Total;
        var stateBefore = await ScalarAsync("SELECT group_concat(payload, '|') FROM grain_state;");

        await Retention(30).PruneAsync(CancellationToken.None);

        var remaining = await SequencesAsync();
        foreach (var e in _events)
        {
            var snapshot = e.MachineId switch { Snapshotted => SnapshotOf(Snapshotted), Fresh => SnapshotOf(Fresh), _ => 0 };
            var newest = _events.Where(x => x.MachineId == e.MachineId).Max(x => x.Sequence);
            var gone = e.Timestamp < Cutoff && e.Sequence <= snapshot && e.Sequence < newest;
            Assert.True(gone != remaining.Contains((e.MachineId, e.Sequence)), $"{e.MachineId} #{e.Sequence} at {e.Timestamp:O}: expected {(gone ? "deleted" : "kept")}");
        }

        Assert.Contains(_events, e => e.Timestamp < Cutoff && !remaining.Contains((e.MachineId, e.Sequence)));

        // A machine replays the same events after its snapshot; live state is untouched.
        Assert.Equal(
            _events.Where(e => e.MachineId == Snapshotted && e.Sequence > SnapshotOf(Snapshotted)).Select(e => e.Id),
            (await _log.ReadAfterAsync(Snapshotted, SnapshotOf(Snapshotted))).Select(e => e.Id));
        Assert.Equal(stateBefore, await ScalarAsync("SELECT group_concat(payload, '|') FROM grain_state;"));

        // Rollups of whole days before the cutoff are gone, later ones answer as before.
        var cutoffDay = DateOnly.FromDateTime(Cutoff.UtcDateTime).AddDays(-1).DayNumber;
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM report_piece WHERE end_ts < {Cutoff.UtcTicks};"));
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM report_time WHERE day < {cutoffDay};"));
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM report_count WHERE day < {cutoffDay};"));
        Assert.True(await CountAsync($"SELECT count(*) FROM report_count WHERE day > {cutoffDay};") > 0);
        Assert.Equal(before, (await reports.ReadAsync(kept)).Total);

        // The trigger still refuses deleting anything at or after the cutoff.
        var refused = await Assert.ThrowsAsync<SqliteException>(() => _database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"DELETE FROM machine_event WHERE ts >= {Cutoff.UtcTicks};";
            return await command.ExecuteNonQueryAsync();
        }));
        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_retention_history_is_kept_forever_and_nothing_may_be_deleted()
    {
        await Retention(30).PruneAsync(CancellationToken.None);
        var left = (await SequencesAsync()).Count;

        await Retention(null).PruneAsync(CancellationToken.None);

        Assert.Equal(left, (await SequencesAsync()).Count);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM history_retention;"));
        await Assert.ThrowsAsync<SqliteException>(() => _database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM machine_event;";
            return await command.ExecuteNonQueryAsync();
        }));
    }

    [Theory]
    [InlineData(null, 7, true)]
    [InlineData(30, 7, true)]
    [InlineData(29, 7, false)]
    [InlineData(-1, 7, false)]
    [InlineData(40, 40, false)]
    [InlineData(41, 40, true)]
    public void The_retention_is_at_least_thirty_days_and_longer_than_the_oldest_event_accepted(int? days, int maxEventAgeDays, bool valid)
    {
        var options = new MesOptions { History = { RetentionDays = days }, Telemetry = { MaxEventAge = TimeSpan.FromDays(maxEventAgeDays) } };
        var result = new MesOptionsValidator().Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Mes:History:RetentionDays", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private HistoryRetention Retention(int? days) => new(
        Options.Create(new MesOptions { History = { RetentionDays = days } }), _clock, NullLogger<HistoryRetention>.Instance, new SqlitePruning(_database));

    private long SnapshotOf(string machine) => _snapshots[machine];

    private readonly Dictionary<string, long> _snapshots = [];

    private async Task SnapshotAsync(string machine, long sequence)
    {
        _snapshots[machine] = sequence;
        var storage = new SqliteGrainStorage("test", _database, _services.GetRequiredService<IActivatorProvider>(), NullLogger<SqliteGrainStorage>.Instance);
        await storage.WriteStateAsync("machine", GrainId.Create("machine", machine), new GrainState<MachineGrainState>(new MachineGrainState { LastSequence = sequence }));
    }

    private async Task<HashSet<(string, long)>> SequencesAsync()
    {
        await using var connection = await _database.OpenReadConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT machine_id, machine_seq FROM machine_event;";
        await using var reader = await command.ExecuteReaderAsync();
        var found = new HashSet<(string, long)>();
        while (await reader.ReadAsync())
        {
            found.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return found;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await _database.OpenReadConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private async Task<long> CountAsync(string sql) => (long)(await ScalarAsync(sql))!;

    private static MachineEvent Event(string machine, MachineEventKind kind, DateTimeOffset at) =>
        new(Guid.NewGuid(), machine, kind, at, at.AddSeconds(1), EventSource.Telemetry);
}
