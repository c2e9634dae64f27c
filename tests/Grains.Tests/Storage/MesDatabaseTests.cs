using MesOrleans.Storage;
using Microsoft.Data.Sqlite;

namespace MesOrleans.Tests.Storage;

public sealed class MesDatabaseTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = new();
    private MesDatabase _database = null!;

    public Task InitializeAsync()
    {
        _database = _directory.OpenDatabase();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task First_open_creates_the_folder_and_schema_version_1_in_WAL_mode()
    {
        await using var connection = await _database.OpenReadConnectionAsync();

        Assert.True(File.Exists(_directory.DatabasePath));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal(5000L, await ScalarAsync(connection, "PRAGMA busy_timeout;"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT max(version) FROM schema_version;"));
    }

    [Fact]
    public async Task Opening_an_existing_file_again_keeps_one_schema_version_row()
    {
        await _database.WriteAsync(static (_, _) => Task.FromResult(0));
        await using (var second = _directory.OpenDatabase())
        {
            await second.WriteAsync(static (_, _) => Task.FromResult(0));
        }

        await using var connection = await _database.OpenReadConnectionAsync();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public async Task A_file_with_a_newer_schema_is_refused()
    {
        await _database.WriteAsync(static async (connection, transaction) =>
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (2, 'later');"));

        await using var newer = _directory.OpenDatabase();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.WriteAsync(static (_, _) => Task.FromResult(0)));
        Assert.Contains("schema version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_that_throws_is_rolled_back()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _database.WriteAsync<int>(static async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO grain_state VALUES ('t', 'k', 's', 1, '{}', 'now');");
            throw new InvalidOperationException("the work failed");
        }));

        await using var connection = await _database.OpenReadConnectionAsync();
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM grain_state;"));
    }

    [Theory]
    [InlineData("UPDATE machine_event SET note = 'edited';")]
    [InlineData("DELETE FROM machine_event;")]
    public async Task Machine_events_cannot_be_edited_or_deleted(string sql)
    {
        await _database.WriteAsync(static async (connection, transaction) => await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO machine_event (id, machine_id, kind, ts, recorded_at, source) VALUES ('e1', 'm', 'Counted', 1, 1, 'Telemetry');"));

        var error = await Assert.ThrowsAsync<SqliteException>(() => _database.WriteAsync((connection, transaction) => ExecuteAsync(connection, transaction, sql)));

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        await using var reader = await _database.OpenReadConnectionAsync();
        Assert.Equal(1L, await ScalarAsync(reader, "SELECT count(*) FROM machine_event WHERE note IS NULL;"));
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
