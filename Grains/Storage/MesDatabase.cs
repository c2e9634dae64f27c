using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Storage;

/// <summary>
/// The standalone mode's one SQLite file, shared by grain storage and the history store. SQLite allows one
/// writer at a time, so every write in this process goes through one connection behind a gate; readers use
/// their own pooled connections and, thanks to WAL, read while the writer writes.
/// </summary>
internal sealed partial class MesDatabase : IAsyncDisposable
{
    /// <summary>The schema this build creates and understands; bump it with each migration.</summary>
    internal const int SchemaVersion = 5;

    private const int BusyTimeoutMilliseconds = 5000;

    private readonly string _databasePath;
    private readonly string _connectionString;
    private readonly ILogger<MesDatabase> _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writeConnection;
    private volatile bool _schemaReady;
    private bool _disposed;

    public MesDatabase(string databasePath, ILogger<MesDatabase> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _databasePath = Path.GetFullPath(databasePath);
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in its own transaction on the one write connection, after every earlier write
    /// has finished. Commits when the work completes; rolls back when it throws.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var connection = await GetWriteConnectionAsync(cancellationToken);

            // IMMEDIATE takes the write lock up front: another process writing the same file (a second silo in
            // tests, a CLI tool) then makes us wait out busy_timeout instead of failing halfway through.
            // Disposing an uncommitted transaction rolls it back.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);

            // Once the work has run, committing is cheap; cancelling here would only throw it away.
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Opens a connection for reading; the caller disposes it (which returns it to the pool).</summary>
    public async Task<SqliteConnection> OpenReadConnectionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_schemaReady)
        {
            await WriteAsync(static (_, _) => Task.FromResult(true), cancellationToken);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Waiting for the gate lets a write in progress finish instead of losing its connection underneath it.
        await _writeGate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_writeConnection is not null)
            {
                // Clearing first makes the close real, and idle readers let go of the file too.
                SqliteConnection.ClearPool(_writeConnection);
                await _writeConnection.DisposeAsync();
                _writeConnection = null;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // Called with the write gate held.
    private async Task<SqliteConnection> GetWriteConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writeConnection is not null)
        {
            return _writeConnection;
        }

        var directory = Path.GetDirectoryName(_databasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // journal_mode is stored in the file; the others hold per connection. Every event goes into indexes led by
            // its machine, so a plant's worth of machines keeps that many leaf pages hot: a cache of 64 MiB instead of
            // SQLite's 2 MiB keeps them in memory rather than reading them back from the file at every commit, and
            // checkpoints every 10,000 pages (about 40 MiB of WAL) instead of 1,000 copy each hot page back once, not
            // ten times, and stall the group commit a tenth as often.
            await ExecuteAsync(
                connection,
                $"""
                PRAGMA busy_timeout = {BusyTimeoutMilliseconds};
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA foreign_keys = ON;
                PRAGMA cache_size = -65536;
                PRAGMA wal_autocheckpoint = 10000;
                """,
                cancellationToken);
            await CreateSchemaAsync(connection, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _writeConnection = connection;
        _schemaReady = true;
        LogOpened(_databasePath, SchemaVersion);
        return connection;
    }

    // Applies, in one transaction, every migration this file has not seen yet.
    private static async Task CreateSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction(deferred: false);
        long current;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL); SELECT coalesce(max(version), 0) FROM schema_version;";
            current = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (current > SchemaVersion)
            {
                throw new InvalidOperationException(
                    $"{connection.DataSource} has schema version {current}; this build knows up to version {SchemaVersion}. Run a newer build.");
            }
        }

        for (var version = (int)current + 1; version <= SchemaVersion; version++)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[version - 1] + "\nINSERT INTO schema_version (version, applied_at) VALUES ($version, $appliedAt);";
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$appliedAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Migration N takes the file from version N - 1 to N; a file is never rewritten by an older build.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_type TEXT NOT NULL,
            grain_id   TEXT NOT NULL,
            state_name TEXT NOT NULL,
            etag       INTEGER NOT NULL,
            payload    TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (grain_type, grain_id, state_name)
        );

        CREATE TABLE IF NOT EXISTS machine_event (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            id          TEXT NOT NULL UNIQUE,
            machine_id  TEXT NOT NULL,
            kind        TEXT NOT NULL,
            ts          INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            source      TEXT NOT NULL,
            state       TEXT,
            reason_code TEXT,
            total_delta INTEGER NOT NULL DEFAULT 0,
            scrap_delta INTEGER NOT NULL DEFAULT 0,
            refers_to   TEXT,
            actor       TEXT,
            note        TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_machine_event_machine_ts ON machine_event (machine_id, ts);
        CREATE INDEX IF NOT EXISTS ix_machine_event_refers_to ON machine_event (refers_to);
        CREATE INDEX IF NOT EXISTS ix_machine_event_machine_recorded ON machine_event (machine_id, recorded_at);

        -- What happened is never edited or lost, not even by a mistaken statement.
        CREATE TRIGGER IF NOT EXISTS machine_event_no_update BEFORE UPDATE ON machine_event
        BEGIN SELECT RAISE(ABORT, 'machine_event is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS machine_event_no_delete BEFORE DELETE ON machine_event
        BEGIN SELECT RAISE(ABORT, 'machine_event is append-only'); END;
        """,

        // Version 2, one event log: every machine event is numbered per machine, and a machine's telemetry
        // watermark (counter cursor, last queue message applied) is written with its events, so that state rebuilt
        // from the log never disagrees with history and a redelivered message is recognised.
        """
        ALTER TABLE machine_event ADD COLUMN machine_seq INTEGER;
        DROP TRIGGER machine_event_no_update;
        UPDATE machine_event SET machine_seq = numbered.n
        FROM (SELECT seq, row_number() OVER (PARTITION BY machine_id ORDER BY seq) AS n FROM machine_event) AS numbered
        WHERE numbered.seq = machine_event.seq;
        CREATE UNIQUE INDEX ux_machine_event_machine_seq ON machine_event (machine_id, machine_seq);
        CREATE TRIGGER machine_event_no_update BEFORE UPDATE ON machine_event
        BEGIN SELECT RAISE(ABORT, 'machine_event is append-only'); END;

        CREATE TABLE telemetry_watermark (
            machine_id TEXT PRIMARY KEY,
            payload    TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """,

        // Version 3, work orders on the event log: which order (and part) runs is an event of every machine of its
        // line, and every count carries the order and the ideal cycle time (ticks) in force at its time.
        """
        ALTER TABLE machine_event ADD COLUMN order_number TEXT;
        ALTER TABLE machine_event ADD COLUMN part_number TEXT;
        ALTER TABLE machine_event ADD COLUMN ideal_cycle_time INTEGER;
        CREATE INDEX ix_machine_event_order ON machine_event (order_number, machine_id, machine_seq) WHERE order_number IS NOT NULL;
        """,

        // Version 4, report rollups: each machine's log filed by a projector that follows it (its cursor is written
        // with what it filed), as pieces of the timeline and as cells of raw time and parts per calendar segment for the
        // machine, its line and its site; and a retention period, before which events may be deleted and nothing else.
        """
        CREATE TABLE report_cursor (
            machine_id        TEXT PRIMARY KEY,
            last_seq          INTEGER NOT NULL,
            monitored_since   INTEGER,
            open_stop         TEXT NOT NULL,
            ideal_cycle_ticks INTEGER NOT NULL,
            micro_stop_ticks  INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE report_piece (
            machine_id TEXT NOT NULL,
            start_ts   INTEGER NOT NULL,
            end_ts     INTEGER NOT NULL,
            state      TEXT NOT NULL,
            reason     TEXT NOT NULL,
            product    TEXT NOT NULL,
            stop_id    TEXT NOT NULL,
            stop_start INTEGER NOT NULL,
            stop_end   INTEGER NOT NULL,
            counted_at INTEGER,
            PRIMARY KEY (machine_id, start_ts)
        ) WITHOUT ROWID;
        CREATE INDEX ix_report_piece_stop ON report_piece (machine_id, stop_id);

        CREATE TABLE report_time (
            scope       TEXT NOT NULL,
            day         INTEGER NOT NULL,
            shift_start INTEGER NOT NULL,
            kind        INTEGER NOT NULL,
            state       TEXT NOT NULL,
            reason      TEXT NOT NULL,
            minor       INTEGER NOT NULL,
            product     TEXT NOT NULL,
            shift_name  TEXT NOT NULL,
            ticks       INTEGER NOT NULL,
            stops       INTEGER NOT NULL,
            cycles      REAL NOT NULL,
            PRIMARY KEY (scope, day, shift_start, kind, state, reason, minor, product)
        ) WITHOUT ROWID;

        CREATE TABLE report_count (
            scope            TEXT NOT NULL,
            day              INTEGER NOT NULL,
            shift_start      INTEGER NOT NULL,
            kind             INTEGER NOT NULL,
            reason           TEXT NOT NULL,
            product          TEXT NOT NULL,
            shift_name       TEXT NOT NULL,
            total            INTEGER NOT NULL,
            scrap            INTEGER NOT NULL,
            scrap_entries    INTEGER NOT NULL,
            ideal_ticks      INTEGER NOT NULL,
            ideal_good_ticks INTEGER NOT NULL,
            unvalued_total   INTEGER NOT NULL,
            unvalued_good    INTEGER NOT NULL,
            PRIMARY KEY (scope, day, shift_start, kind, reason, product)
        ) WITHOUT ROWID;

        CREATE TABLE report_day (
            site   TEXT NOT NULL,
            day    INTEGER NOT NULL,
            layout TEXT NOT NULL,
            PRIMARY KEY (site, day)
        ) WITHOUT ROWID;

        CREATE TABLE history_retention (
            id     INTEGER PRIMARY KEY CHECK (id = 1),
            cutoff INTEGER NOT NULL
        );
        DROP TRIGGER machine_event_no_delete;
        CREATE TRIGGER machine_event_no_delete BEFORE DELETE ON machine_event
        WHEN old.ts >= coalesce((SELECT cutoff FROM history_retention WHERE id = 1), -9223372036854775808)
        BEGIN SELECT RAISE(ABORT, 'machine_event is append-only: only events older than the retention period are deleted'); END;
        """,

        // Version 5, fewer index writes per event: recent events are read by their sequence number, which orders them as
        // recorded, and only corrections refer to another event, so the index of references holds only those.
        """
        DROP INDEX IF EXISTS ix_machine_event_machine_recorded;
        DROP INDEX IF EXISTS ix_machine_event_refers_to;
        CREATE INDEX ix_machine_event_refers_to ON machine_event (refers_to) WHERE refers_to IS NOT NULL;
        """,
    ];

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened {DatabasePath} (schema version {SchemaVersion})")]
    private partial void LogOpened(string databasePath, int schemaVersion);
}
