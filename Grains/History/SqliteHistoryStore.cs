using System.Diagnostics.Metrics;
using System.Globalization;
using MesOrleans.Machines;
using MesOrleans.Reports.Rollup;
using MesOrleans.Storage;
using MesOrleans.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MesOrleans.History;

/// <summary>
/// The machines' event log on <c>mes.db</c>, group-committed (<see cref="EventLogWriter"/>) on the file's one write
/// connection, with a savepoint per append so that a stale activation's conflict undoes only its own rows.
/// </summary>
internal sealed class SqliteHistoryStore(MesDatabase database, ILogger<SqliteHistoryStore> logger, RollupFollower? rollups = null, IMeterFactory? meters = null)
    : EventLogWriter(logger, meters), IMachineEventLog
{
    public async Task<IReadOnlyList<MachineEvent>> ReadAfterAsync(string machineId, long afterSequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MachineEventRows.Columns} FROM machine_event WHERE machine_id = $machine AND machine_seq > $after ORDER BY machine_seq;";
        command.Parameters.AddWithValue("$machine", machineId);
        command.Parameters.AddWithValue("$after", afterSequence);
        return await MachineEventRows.ReadAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<MachineEvent>> ReadOrderAfterAsync(
        string machineId, string orderNumber, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        ArgumentException.ThrowIfNullOrEmpty(orderNumber);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT {MachineEventRows.Columns} FROM machine_event
            WHERE order_number = $order AND machine_id = $machine AND machine_seq > $after
            ORDER BY machine_seq LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$order", orderNumber);
        command.Parameters.AddWithValue("$machine", machineId);
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", limit);
        return await MachineEventRows.ReadAsync(command, cancellationToken);
    }

    public async Task<long> ReadLastSequenceAsync(string machineId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(machine_seq), 0) FROM machine_event WHERE machine_id = $machine;";
        command.Parameters.AddWithValue("$machine", machineId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<TelemetryWatermark?> ReadWatermarkAsync(string machineId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM telemetry_watermark WHERE machine_id = $machine;";
        command.Parameters.AddWithValue("$machine", machineId);
        return MachineEventRows.ReadWatermark(await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<MachineEvent>> ReadWindowAsync(
        string machineId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // The window, the state in effect at its start, and the corrections of those — followed transitively,
        // so that a void of a recode is found too.
        command.CommandText =
            $"""
            WITH RECURSIVE picked(seq, id) AS (
                SELECT seq, id FROM machine_event
                WHERE machine_id = $machine AND ts >= $from AND ts < $to
                UNION
                SELECT seq, id FROM (
                    SELECT seq, id FROM machine_event
                    WHERE machine_id = $machine AND kind = 'StateChanged' AND ts < $from
                    ORDER BY ts DESC, seq DESC LIMIT 1)
                UNION
                SELECT correction.seq, correction.id FROM machine_event AS correction
                JOIN picked ON correction.refers_to = picked.id
                WHERE correction.kind IN ('StopRecoded', 'StopSplit', 'Voided')
            )
            SELECT {MachineEventRows.Columns} FROM machine_event
            WHERE seq IN (SELECT seq FROM picked)
            ORDER BY ts, seq;
            """;
        command.Parameters.AddWithValue("$machine", machineId);
        command.Parameters.AddWithValue("$from", from.UtcTicks);
        command.Parameters.AddWithValue("$to", to.UtcTicks);
        return await MachineEventRows.ReadAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<MachineEvent>> ReadRecentAsync(string machineId, int count, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT {MachineEventRows.Columns} FROM machine_event
            WHERE machine_id = $machine
            ORDER BY machine_seq DESC
            LIMIT $count;
            """;
        command.Parameters.AddWithValue("$machine", machineId);
        command.Parameters.AddWithValue("$count", count);
        return await MachineEventRows.ReadAsync(command, cancellationToken);
    }

    public async Task<MachineEvent?> FindAsync(string machineId, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MachineEventRows.Columns} FROM machine_event WHERE id = $id AND machine_id = $machine;";
        command.Parameters.AddWithValue("$id", FormatId(id));
        command.Parameters.AddWithValue("$machine", machineId);
        return (await MachineEventRows.ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    protected override async Task WriteAsync(IReadOnlyList<PendingAppend> batch)
    {
        // Almost always every event is new: one pass without savepoints. A number already taken (a stale activation,
        // or an append retried after a failure) undoes that pass, and the batch is written again append by append.
        try
        {
            await database.WriteAsync(async (connection, transaction) =>
            {
                Statements(connection).Insert(batch, careful: false);
                await FileRollupsAsync(connection, transaction, batch);
                return true;
            });
        }
        catch (NumberTakenException)
        {
            await database.WriteAsync(async (connection, transaction) =>
            {
                Statements(connection).Insert(batch, careful: true);
                await FileRollupsAsync(connection, transaction, batch);
                return true;
            });
        }
    }

    // Rollups commit with the events; when filing them fails, the events still commit and the rollups catch up later.
    private async Task FileRollupsAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<PendingAppend> batch)
    {
        var appended = Appended(batch);
        if (rollups is null || appended.Count == 0)
        {
            return;
        }

        var statements = Statements(connection);
        statements.RollupsSavepoint.Execute();
        try
        {
            await rollups.FileAsync(SqliteRollups.Session(connection, transaction), appended);
        }
        catch (Exception error)
        {
            statements.RollbackToRollups.Execute();
            rollups.Missed(appended.Keys, error);
        }

        statements.ReleaseRollups.Execute();
    }

    // The write connection lives as long as the database; its statements stay prepared across commits.
    private static WriteStatements Statements(SqliteConnection connection) => PreparedStatements.On(connection, static c => new WriteStatements(c));

    // Lower-case "D" form, the same for ids and for the references to them.
    private static string FormatId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>A number of an append is already taken: the batch is written again, append by append.</summary>
    private sealed class NumberTakenException : Exception;

    /// <summary>
    /// The write path's statements, prepared once on the write connection and run through SQLite's API: they run for every
    /// event, and a command's parameters would allocate per value.
    /// </summary>
    private sealed class WriteStatements(SqliteConnection connection) : IDisposable
    {
        private readonly SqliteStatement _insert = new(
            connection,
            """
            INSERT INTO machine_event (id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note, order_number, part_number, ideal_cycle_time)
            VALUES ($id, $machine, $machineSeq, $kind, $ts, $recordedAt, $source, $state, $reasonCode, $totalDelta, $scrapDelta, $refersTo, $actor, $note, $orderNumber, $partNumber, $idealCycleTime)
            ON CONFLICT DO NOTHING;
            """);

        private readonly SqliteStatement _holder = new(connection, "SELECT id FROM machine_event WHERE machine_id = $machine AND machine_seq = $machineSeq;");

        // A watermark never goes back: a stale activation's older one loses to the newer one already written.
        private readonly SqliteStatement _watermark = new(
            connection,
            """
            INSERT INTO telemetry_watermark (machine_id, payload, updated_at) VALUES ($machine, $payload, $offset)
            ON CONFLICT (machine_id) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
            WHERE excluded.updated_at >= telemetry_watermark.updated_at;
            """);

        private readonly Utf8Json _watermarkJson = new(MachineEventRows.WatermarkJson);
        private readonly SqliteStatement _savepoint = new(connection, "SAVEPOINT append;");
        private readonly SqliteStatement _rollbackToSavepoint = new(connection, "ROLLBACK TO append;");
        private readonly SqliteStatement _releaseSavepoint = new(connection, "RELEASE append;");

        public SqliteStatement RollupsSavepoint { get; } = new(connection, "SAVEPOINT rollups;");

        public SqliteStatement RollbackToRollups { get; } = new(connection, "ROLLBACK TO rollups;");

        public SqliteStatement ReleaseRollups { get; } = new(connection, "RELEASE rollups;");

        /// <summary>
        /// Writes the batch. Not <paramref name="careful"/>: throws <see cref="NumberTakenException"/> at the first event
        /// not inserted. Careful: a savepoint per append, so that a conflicting append undoes only its own rows and is
        /// marked, and a repeated event that is already there is skipped.
        /// </summary>
        public bool Insert(IReadOnlyList<PendingAppend> batch, bool careful)
        {
            foreach (var pending in batch)
            {
                if (careful)
                {
                    _savepoint.Execute();
                }

                var conflict = (string?)null;
                foreach (var e in pending.Append.Events)
                {
                    if (InsertEvent(e))
                    {
                        continue;
                    }

                    if (!careful)
                    {
                        throw new NumberTakenException();
                    }

                    conflict = Conflict(e);
                    if (conflict is not null)
                    {
                        break;
                    }
                }

                if (conflict is null && pending.Append.Watermark is { } mark)
                {
                    _watermark.Bind(1, pending.Append.MachineId);
                    _watermark.BindUtf8Text(2, _watermarkJson.Write(mark));
                    _watermark.Bind(3, mark.QueueOffset);
                    _watermark.Execute();
                }

                if (conflict is not null)
                {
                    _rollbackToSavepoint.Execute();
                    pending.Conflict = conflict;
                }

                if (careful)
                {
                    _releaseSavepoint.Execute();
                }
            }

            return true;
        }

        public void Dispose()
        {
            foreach (var statement in new[] { _insert, _holder, _watermark, _savepoint, _rollbackToSavepoint, _releaseSavepoint, RollupsSavepoint, RollbackToRollups, ReleaseRollups })
            {
                statement.Dispose();
            }
        }

        private bool InsertEvent(MachineEvent e)
        {
            _insert.Bind(1, e.Id);
            _insert.Bind(2, e.MachineId);
            _insert.Bind(3, e.Sequence);
            _insert.Bind(4, EnumNames<MachineEventKind>.Of(e.Kind));
            _insert.Bind(5, e.Timestamp.UtcTicks);
            _insert.Bind(6, e.RecordedAt.UtcTicks);
            _insert.Bind(7, EnumNames<EventSource>.Of(e.Source));
            _insert.Bind(8, e.State is { } state ? EnumNames<MachineState>.Of(state) : null);
            _insert.Bind(9, e.ReasonCode);
            _insert.Bind(10, e.TotalDelta);
            _insert.Bind(11, e.ScrapDelta);
            _insert.Bind(12, e.RefersTo);
            _insert.Bind(13, e.Actor);
            _insert.Bind(14, e.Note);
            _insert.Bind(15, e.OrderNumber);
            _insert.Bind(16, e.PartNumber);
            _insert.Bind(17, e.IdealCycleTime?.Ticks);
            return _insert.Execute() == 1;
        }

        // Null when the event is already there under its number (a retried append); otherwise why it cannot be.
        private string? Conflict(MachineEvent e)
        {
            _holder.Bind(1, e.MachineId);
            _holder.Bind(2, e.Sequence);
            var existing = _holder.TryReadFirst(static holder => holder.GetString(0), out var id) ? id : null;

            return existing == FormatId(e.Id)
                ? null
                : existing is null
                    ? $"Event {e.Id} is already in the log under another machine or number."
                    : $"Event {e.Sequence} of {e.MachineId} is already {existing}; this activation's {e.Id} is stale.";
        }
    }
}
