using System.Runtime.CompilerServices;
using MesOrleans.Storage;
using Microsoft.Data.Sqlite;

namespace MesOrleans.Silo.Migration;

/// <summary>
/// A standalone installation's <c>mes.db</c> (grain state, the event log and the telemetry watermarks), read for
/// <c>migrate</c>, and the telemetry queue file beside it. Nothing is written to either.
/// </summary>
internal sealed class StandaloneDatabase : IAsyncDisposable
{
    private const string QueueFile = "telemetry-queue.db";

    private readonly SqliteConnection _connection;

    private StandaloneDatabase(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    public string Path { get; }

    /// <exception cref="MigrationException">The file is missing, is not an MES database, or has another schema version.</exception>
    public static async Task<StandaloneDatabase> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new MigrationException($"{path} does not exist: give the standalone database, e.g. --from WebFrontend/data/mes.db.");
        }

        // Read-write without creating: a file left by a stopped app may still need its write-ahead log replayed.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            var version = await VersionAsync(connection, cancellationToken);
            if (version == 0)
            {
                throw new MigrationException($"{path} is not an MES standalone database (it has no schema_version table).");
            }

            if (version != MesDatabase.SchemaVersion)
            {
                throw new MigrationException(version < MesDatabase.SchemaVersion
                    ? $"{path} has schema version {version}; this build migrates version {MesDatabase.SchemaVersion}. Start the standalone app of this build on it once (it upgrades the file), stop it, and migrate again."
                    : $"{path} has schema version {version}, newer than this build knows ({MesDatabase.SchemaVersion}). Migrate with the build that wrote it.");
            }

            return new StandaloneDatabase(path, connection);
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new MigrationException($"{path} cannot be read as an MES database: {ex.Message}");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every grain state row.</summary>
    public async IAsyncEnumerable<StandaloneGrainState> GrainStatesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT grain_type, grain_id, state_name, payload FROM grain_state ORDER BY grain_type, grain_id, state_name;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new StandaloneGrainState(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
        }
    }

    /// <summary>The event log in the order it was written, <paramref name="batchSize"/> events at a time.</summary>
    public async IAsyncEnumerable<IReadOnlyList<StandaloneEvent>> EventsAsync(int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long after = 0;
        while (true)
        {
            var batch = new List<StandaloneEvent>(batchSize);
            await using (var command = _connection.CreateCommand())
            {
                command.CommandText =
                    """
                    SELECT seq, id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note
                    FROM machine_event WHERE seq > $after ORDER BY seq LIMIT $limit;
                    """;
                command.Parameters.AddWithValue("$after", after);
                command.Parameters.AddWithValue("$limit", batchSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    after = reader.GetInt64(0);
                    batch.Add(new StandaloneEvent(
                        Guid.Parse(reader.GetString(1)),
                        reader.GetString(2),
                        reader.GetInt64(3),
                        reader.GetString(4),
                        reader.GetInt64(5),
                        reader.GetInt64(6),
                        reader.GetString(7),
                        reader.IsDBNull(8) ? null : reader.GetString(8),
                        reader.IsDBNull(9) ? null : reader.GetString(9),
                        reader.GetInt64(10),
                        reader.GetInt64(11),
                        reader.IsDBNull(12) ? null : Guid.Parse(reader.GetString(12)),
                        reader.IsDBNull(13) ? null : reader.GetString(13),
                        reader.IsDBNull(14) ? null : reader.GetString(14)));
                }
            }

            if (batch.Count == 0)
            {
                yield break;
            }

            yield return batch;
        }
    }

    /// <summary>Every machine's telemetry watermark: its JSON and the standalone queue's number of the last message applied.</summary>
    public async Task<IReadOnlyList<StandaloneWatermark>> WatermarksAsync(CancellationToken cancellationToken)
    {
        var watermarks = new List<StandaloneWatermark>();
        await using var command = _connection.CreateCommand();

        // The standalone log keeps the queue offset in updated_at.
        command.CommandText = "SELECT machine_id, payload, updated_at FROM telemetry_watermark ORDER BY machine_id;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            watermarks.Add(new StandaloneWatermark(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return watermarks;
    }

    /// <summary>
    /// Messages in the telemetry queue file beside the database that no machine has applied yet (their number is past
    /// their machine's watermark). They are acknowledged to devices and would be lost: the standalone app must deliver
    /// them before the migration.
    /// </summary>
    public async Task<long> UndeliveredTelemetryAsync(IReadOnlyList<StandaloneWatermark> watermarks, CancellationToken cancellationToken)
    {
        var queuePath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, QueueFile);
        if (!File.Exists(queuePath))
        {
            return 0;
        }

        var applied = watermarks.ToDictionary(w => w.MachineId, w => w.QueueOffset);
        await using var queue = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = queuePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await queue.OpenAsync(cancellationToken);
        await using var command = queue.CreateCommand();
        command.CommandText = "SELECT stream_key, id FROM telemetry_queue;";
        long undelivered = 0;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                undelivered += reader.GetInt64(1) > applied.GetValueOrDefault(reader.GetString(0)) ? 1 : 0;
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1)
        {
            // No queue table: the queue was never used.
        }

        return undelivered;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static async Task<long> VersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version;";
        try
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }
}

/// <summary>One grain state row of <c>mes.db</c>: the grain's type and key, the state's name, and the state as JSON.</summary>
internal sealed record StandaloneGrainState(string GrainType, string GrainKey, string StateName, string Json);

/// <summary>One event of <c>mes.db</c>'s log, as stored (times in UTC ticks).</summary>
internal sealed record StandaloneEvent(
    Guid Id,
    string MachineId,
    long MachineSeq,
    string Kind,
    long Timestamp,
    long RecordedAt,
    string Source,
    string? State,
    string? ReasonCode,
    long TotalDelta,
    long ScrapDelta,
    Guid? RefersTo,
    string? Actor,
    string? Note);

/// <summary>One machine's telemetry watermark: its JSON, and the number of the last queue message applied.</summary>
internal sealed record StandaloneWatermark(string MachineId, string Json, long QueueOffset);

/// <summary>The migration cannot go on; the message says why and what to do.</summary>
internal sealed class MigrationException(string message) : Exception(message);
