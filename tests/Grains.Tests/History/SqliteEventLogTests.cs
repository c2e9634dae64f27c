using MesOrleans.History;
using MesOrleans.Storage;
using MesOrleans.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesOrleans.Tests.History;

/// <summary>The event log contract on the standalone mode's SQLite file.</summary>
public sealed class SqliteEventLogTests : EventLogContract
{
    private readonly TemporaryDirectory _directory = new();
    private MesDatabase _database = null!;

    protected override string EventTable => "machine_event";

    protected override Task CreateDatabaseAsync()
    {
        _database = _directory.OpenDatabase();
        return Task.CompletedTask;
    }

    protected override async Task DropDatabaseAsync()
    {
        await _database.DisposeAsync();
        _directory.Dispose();
    }

    private protected override EventLogWriter NewStore() => new SqliteHistoryStore(_database, NullLogger<SqliteHistoryStore>.Instance);

    protected override Task ExecuteAsync(string sql) => _database.ExecuteAsync(sql);

    protected override async Task<long> CountAsync(string sql)
    {
        await using var connection = await _database.OpenReadConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
