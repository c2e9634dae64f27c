using MesOrleans.History;
using MesOrleans.History.Retention;
using MesOrleans.Machines;
using MesOrleans.Reports.Rollup;
using MesOrleans.Storage;
using MesOrleans.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace MesOrleans.Tests.History.Retention;

/// <summary>Retention on the standalone mode's SQLite file (<c>mes.db</c>).</summary>
public sealed class SqlitePruningTests : HistoryPruningContract
{
    private readonly TemporaryDirectory _directory = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private MesDatabase _database = null!;
    private SqliteRollups _rollups = null!;
    private SqlitePruning _pruning = null!;

    private protected override IRollupReader Rollups => _rollups;

    private protected override IRollupStore RollupStore => _rollups;

    private protected override IHistoryPruning Pruning => _pruning;

    protected override string GrainStatesSql => "SELECT grain_type, grain_id, state_name, etag, payload FROM grain_state ORDER BY grain_type, grain_id, state_name;";

    protected override Task CreateDatabaseAsync()
    {
        _database = _directory.OpenDatabase();
        _rollups = new SqliteRollups(_database);
        _pruning = new SqlitePruning(_database);
        return Task.CompletedTask;
    }

    protected override async Task DropDatabaseAsync()
    {
        await _database.DisposeAsync();
        await _services.DisposeAsync();
        _directory.Dispose();
    }

    private protected override EventLogWriter NewWriter(RollupFollower follower) =>
        new SqliteHistoryStore(_database, NullLogger<SqliteHistoryStore>.Instance, follower);

    private protected override Task WriteSnapshotAsync(string machine, MachineGrainState state) =>
        new SqliteGrainStorage("test", _database, _services.GetRequiredService<IActivatorProvider>(), NullLogger<SqliteGrainStorage>.Instance)
            .WriteStateAsync("machine", GrainId.Create("machine", machine), new GrainState<MachineGrainState>(state));

    protected override string Table(string name) => name;

    protected override async Task<IReadOnlyList<object?[]>> QueryAsync(string sql)
    {
        await using var connection = await _database.OpenReadConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await RowsAsync(command);
    }

    protected override Task ExecuteAsync(string sql) => _database.ExecuteAsync(sql);
}
