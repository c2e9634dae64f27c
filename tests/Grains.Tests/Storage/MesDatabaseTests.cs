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
    public async Task First_open_creates_the_folder_and_the_newest_schema_in_WAL_mode()
    {
        await using var connection = await _database.OpenReadConnectionAsync();

        Assert.True(File.Exists(_directory.DatabasePath));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal(5000L, await ScalarAsync(connection, "PRAGMA busy_timeout;"));
        Assert.Equal((long)MesDatabase.SchemaVersion, await ScalarAsync(connection, "SELECT max(version) FROM schema_version;"));
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
        Assert.Equal((long)MesDatabase.SchemaVersion, await ScalarAsync(connection, "SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public async Task A_file_with_a_newer_schema_is_refused()
    {
        await _database.WriteAsync(static async (connection, transaction) =>
            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_version (version, applied_at) VALUES ({MesDatabase.SchemaVersion + 1}, 'later');"));

        await using var newer = _directory.OpenDatabase();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.WriteAsync(static (_, _) => Task.FromResult(0)));
        Assert.Contains($"schema version {MesDatabase.SchemaVersion + 1}", error.Message, StringComparison.Ordinal);
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
            "INSERT INTO machine_event (id, machine_id, machine_seq, kind, ts, recorded_at, source) VALUES ('e1', 'm', 1, 'Counted', 1, 1, 'Telemetry');"));

        var error = await Assert.ThrowsAsync<SqliteException>(() => _database.WriteAsync((connection, transaction) => ExecuteAsync(connection, transaction, sql)));

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        await using var reader = await _database.OpenReadConnectionAsync();
        Assert.Equal(1L, await ScalarAsync(reader, "SELECT count(*) FROM machine_event WHERE note IS NULL;"));
    }

    [Fact]
    public async Task A_version_1_file_is_migrated_with_its_events_numbered_per_machine_in_the_order_written()
    {
        // Version 1 as the first release wrote it: events without numbers, two machines interleaved.
        Directory.CreateDirectory(Path.GetDirectoryName(_directory.DatabasePath)!);
        await using (var old = new SqliteConnection($"Data Source={_directory.DatabasePath}"))
        {
            await old.OpenAsync();
            await using var command = old.CreateCommand();
            command.CommandText =
                """
                CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
                INSERT INTO schema_version VALUES (1, 'then');
                CREATE TABLE grain_state (grain_type TEXT NOT NULL, grain_id TEXT NOT NULL, state_name TEXT NOT NULL, etag INTEGER NOT NULL,
                    payload TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (grain_type, grain_id, state_name));
                CREATE TABLE machine_event (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, machine_id TEXT NOT NULL,
                    kind TEXT NOT NULL, ts INTEGER NOT NULL, recorded_at INTEGER NOT NULL, source TEXT NOT NULL, state TEXT, reason_code TEXT,
                    total_delta INTEGER NOT NULL DEFAULT 0, scrap_delta INTEGER NOT NULL DEFAULT 0, refers_to TEXT, actor TEXT, note TEXT);
                CREATE TRIGGER machine_event_no_update BEFORE UPDATE ON machine_event BEGIN SELECT RAISE(ABORT, 'machine_event is append-only'); END;
                CREATE TRIGGER machine_event_no_delete BEFORE DELETE ON machine_event BEGIN SELECT RAISE(ABORT, 'machine_event is append-only'); END;
                INSERT INTO machine_event (id, machine_id, kind, ts, recorded_at, source) VALUES
                    ('a1', 'a', 'Counted', 5, 1, 'Telemetry'), ('b1', 'b', 'Counted', 1, 2, 'Telemetry'),
                    ('a2', 'a', 'Counted', 1, 3, 'Telemetry'), ('a3', 'a', 'Counted', 9, 4, 'Telemetry');
                """;
            await command.ExecuteNonQueryAsync();
            SqliteConnection.ClearPool(old);
        }

        await using var migrated = _directory.OpenDatabase();
        await using var connection = await migrated.OpenReadConnectionAsync();

        Assert.Equal("a1:1 a2:2 a3:3 b1:1", await ScalarAsync(connection,
            "SELECT group_concat(id || ':' || machine_seq, ' ') FROM (SELECT id, machine_seq FROM machine_event ORDER BY machine_id, machine_seq);"));
        Assert.Equal((long)MesDatabase.SchemaVersion, await ScalarAsync(connection, "SELECT max(version) FROM schema_version;"));
        var edit = await Assert.ThrowsAsync<SqliteException>(() => migrated.WriteAsync((c, t) => ExecuteAsync(c, t, "UPDATE machine_event SET note = 'x';")));
        Assert.Contains("append-only", edit.Message, StringComparison.Ordinal);
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
