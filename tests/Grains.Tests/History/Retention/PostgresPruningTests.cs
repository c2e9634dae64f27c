using MesOrleans.History;
using MesOrleans.History.Retention;
using MesOrleans.Machines;
using MesOrleans.Reports.Rollup;
using MesOrleans.Storage;
using MesOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;

namespace MesOrleans.Tests.History.Retention;

/// <summary>
/// Retention on the cluster's PostgreSQL database, made by the schema scripts. Snapshots are written by a cluster silo's
/// own grain storage (the Orleans ADO.NET provider with the project's JSON), and pruning is what that silo registers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPruningTests(PostgresFixture postgres) : HistoryPruningContract
{
    private NpgsqlDataSource _dataSource = null!;
    private PostgresRollups _rollups = null!;
    private TestSilo _silo = null!;

    protected override string? MissingComponent => PostgresServer.Missing;

    private protected override IRollupReader Rollups => _rollups;

    private protected override IRollupStore RollupStore => _rollups;

    private protected override IHistoryPruning Pruning => _silo.Services.GetRequiredService<IHistoryPruning>();

    protected override string GrainStatesSql =>
        "SELECT service_id, grain_type, grain_id_string, version, convert_from(payload, 'UTF8') FROM orleans_grain_state ORDER BY service_id, grain_type, grain_id_string;";

    protected override async Task CreateDatabaseAsync()
    {
        var server = postgres.Server ?? throw new InvalidOperationException("PostgreSQL did not start; see the collection fixture's error.");
        var connectionString = await server.CreateMesDatabaseAsync("pruning");
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _rollups = new PostgresRollups(_dataSource);
        _silo = await TestSilo.StartAsync(ClusterSettings.Create(connectionString), "pruning");
    }

    protected override async Task DropDatabaseAsync()
    {
        await _silo.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private protected override EventLogWriter NewWriter(RollupFollower follower) =>
        new PostgresHistoryStore(_dataSource, NullLogger<PostgresHistoryStore>.Instance, follower);

    private protected override Task WriteSnapshotAsync(string machine, MachineGrainState state) =>
        _silo.Services.GetRequiredKeyedService<IGrainStorage>(MesStorage.Name)
            .WriteStateAsync("machine", GrainId.Create("machine", machine), new GrainState<MachineGrainState>(state));

    protected override string Table(string name) => "mes_" + name;

    protected override async Task<IReadOnlyList<object?[]>> QueryAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return await RowsAsync(command);
    }

    [SkippableFact]
    public async Task A_silo_that_finds_another_pruning_leaves_the_work_to_it()
    {
        postgres.Require();
        await Pruning.SetCutoffAsync(Cutoff, CancellationToken.None);
        var events = await QueryAsync("SELECT count(*) FROM mes_machine_event;");

        await using (var other = await _dataSource.OpenConnectionAsync())
        {
            await using var claim = new NpgsqlCommand($"SELECT pg_advisory_lock({PostgresPruning.PruneLockKey});", other);
            await claim.ExecuteNonQueryAsync();

            Assert.Equal(0, await Pruning.DeleteEventsAsync(Cutoff, 5_000, CancellationToken.None));
            Assert.Equal(0, await Pruning.DeleteRollupsAsync(Cutoff, 5_000, CancellationToken.None));
            Assert.Equal(events[0][0], (await QueryAsync("SELECT count(*) FROM mes_machine_event;"))[0][0]);

            // The other silo is done (a pooled connection would keep a session's lock).
            claim.CommandText = $"SELECT pg_advisory_unlock({PostgresPruning.PruneLockKey});";
            await claim.ExecuteNonQueryAsync();
        }

        Assert.True(await Pruning.DeleteEventsAsync(Cutoff, 5_000, CancellationToken.None) > 0);
    }

    protected override async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
