using MesOrleans.History;
using MesOrleans.Reports.Rollup;
using MesOrleans.Testing;
using MesOrleans.Tests.History;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MesOrleans.Tests.Reports.Rollup;

/// <summary>The rollup contract on PostgreSQL (cluster mode), on a database made by the cluster's schema scripts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRollupTests(PostgresFixture postgres) : RollupStoreContract
{
    private NpgsqlDataSource _dataSource = null!;
    private PostgresRollups _rollups = null!;

    protected override string? MissingComponent => PostgresServer.Missing;

    private protected override IRollupReader Reader => _rollups;

    private protected override IRollupStore Store => _rollups;

    protected override async Task CreateDatabaseAsync()
    {
        var server = postgres.Server ?? throw new InvalidOperationException("PostgreSQL did not start; see the collection fixture's error.");
        _dataSource = NpgsqlDataSource.Create(await server.CreateMesDatabaseAsync("rollups"));
        _rollups = new PostgresRollups(_dataSource);
    }

    protected override async Task DropDatabaseAsync() => await _dataSource.DisposeAsync();

    private protected override EventLogWriter NewWriter(RollupFollower follower) =>
        new PostgresHistoryStore(_dataSource, NullLogger<PostgresHistoryStore>.Instance, follower);
}
