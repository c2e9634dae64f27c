using MesOrleans.History;
using MesOrleans.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MesOrleans.Tests.History;

/// <summary>The event log contract on PostgreSQL (cluster mode), on a database made by the cluster's schema scripts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEventLogTests(PostgresFixture postgres) : EventLogContract
{
    private NpgsqlDataSource _dataSource = null!;

    protected override string EventTable => "mes_machine_event";

    protected override string? MissingComponent => PostgresServer.Missing;

    protected override async Task CreateDatabaseAsync()
    {
        var server = postgres.Server ?? throw new InvalidOperationException("PostgreSQL did not start; see the collection fixture's error.");
        _dataSource = NpgsqlDataSource.Create(await server.CreateMesDatabaseAsync("eventlog"));
    }

    protected override async Task DropDatabaseAsync() => await _dataSource.DisposeAsync();

    private protected override EventLogWriter NewStore() => new PostgresHistoryStore(_dataSource, NullLogger<PostgresHistoryStore>.Instance);

    protected override async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<long> CountAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
