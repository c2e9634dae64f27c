using MesOrleans.History;
using MesOrleans.Reports.Rollup;
using MesOrleans.Storage;
using MesOrleans.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesOrleans.Tests.Reports.Rollup;

/// <summary>The rollup contract on the standalone mode's SQLite file.</summary>
public sealed class SqliteRollupTests : RollupStoreContract
{
    private readonly TemporaryDirectory _directory = new();
    private MesDatabase _database = null!;
    private SqliteRollups _rollups = null!;

    private protected override IRollupReader Reader => _rollups;

    private protected override IRollupStore Store => _rollups;

    protected override Task CreateDatabaseAsync()
    {
        _database = _directory.OpenDatabase();
        _rollups = new SqliteRollups(_database);
        return Task.CompletedTask;
    }

    protected override async Task DropDatabaseAsync()
    {
        await _database.DisposeAsync();
        _directory.Dispose();
    }

    private protected override EventLogWriter NewWriter(RollupFollower follower) =>
        new SqliteHistoryStore(_database, NullLogger<SqliteHistoryStore>.Instance, follower);
}
