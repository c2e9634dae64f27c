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
                Statements(connection, transaction).Insert(batch, careful: false);
                await FileRollupsAsync(connection, transaction, batch);
                return true;
            });
        }
        catch (NumberTakenException)
        {
            await database.WriteAsync(async (connection, transaction) =>
            {
                Statements(connection, transaction).Insert(batch, careful: true);
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

        await using var savepoint = connection.CreateCommand();
        savepoint.Transaction = transaction;
        await ExecuteAsync(savepoint, "SAVEPOINT rollups;");
        try
        {
            await rollups.FileAsync(SqliteRollups.Session(connection, transaction), appended);
        }
        catch (Exception error)
        {
            await ExecuteAsync(savepoint, "ROLLBACK TO rollups;");
            rollups.Missed(appended.Keys, error);
        }

        await ExecuteAsync(savepoint, "RELEASE rollups;");
    }

    private static async Task ExecuteAsync(SqliteCommand command, string sql)
    {
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    // The write connection lives as long as the database; its statements stay prepared across commits.
    private WriteStatements Statements(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (_statements?.Connection != connection)
        {
            _statements?.Dispose();
            _statements = new WriteStatements(connection);
        }

        _statements.Enlist(transaction);
        return _statements;
    }

    private WriteStatements? _statements;

    // Lower-case "D" form, the same for ids and for the references to them.
    private static string FormatId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>A number of an append is already taken: the batch is written again, append by append.</summary>
    private sealed class NumberTakenException : Exception;

    /// <summary>The write path's statements, prepared once on the write connection.</summary>
    private sealed class WriteStatements : IDisposable
    {
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _holder;
        private readonly SqliteCommand _watermark;
        private readonly SqliteCommand _savepoint;
        private readonly SqliteCommand _rollbackToSavepoint;
        private readonly SqliteCommand _releaseSavepoint;

        public WriteStatements(SqliteConnection connection)
        {
            Connection = connection;
            _insert = Prepare(
                """
                INSERT INTO machine_event (id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note, order_number, part_number, ideal_cycle_time)
                VALUES ($id, $machine, $machineSeq, $kind, $ts, $recordedAt, $source, $state, $reasonCode, $totalDelta, $scrapDelta, $refersTo, $actor, $note, $orderNumber, $partNumber, $idealCycleTime)
                ON CONFLICT DO NOTHING;
                """,
                ("$id", SqliteType.Text), ("$machine", SqliteType.Text), ("$machineSeq", SqliteType.Integer), ("$kind", SqliteType.Text),
                ("$ts", SqliteType.Integer), ("$recordedAt", SqliteType.Integer), ("$source", SqliteType.Text), ("$state", SqliteType.Text),
                ("$reasonCode", SqliteType.Text), ("$totalDelta", SqliteType.Integer), ("$scrapDelta", SqliteType.Integer),
                ("$refersTo", SqliteType.Text), ("$actor", SqliteType.Text), ("$note", SqliteType.Text),
                ("$orderNumber", SqliteType.Text), ("$partNumber", SqliteType.Text), ("$idealCycleTime", SqliteType.Integer));
            _holder = Prepare(
                "SELECT id FROM machine_event WHERE machine_id = $machine AND machine_seq = $machineSeq;",
                ("$machine", SqliteType.Text), ("$machineSeq", SqliteType.Integer));

            // A watermark never goes back: a stale activation's older one loses to the newer one already written.
            _watermark = Prepare(
                """
                INSERT INTO telemetry_watermark (machine_id, payload, updated_at) VALUES ($machine, $payload, $offset)
                ON CONFLICT (machine_id) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
                WHERE excluded.updated_at >= telemetry_watermark.updated_at;
                """,
                ("$machine", SqliteType.Text), ("$payload", SqliteType.Text), ("$offset", SqliteType.Integer));
            _savepoint = Prepare("SAVEPOINT append;");
            _rollbackToSavepoint = Prepare("ROLLBACK TO append;");
            _releaseSavepoint = Prepare("RELEASE append;");

            SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
            {
                var command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, type) in parameters)
                {
                    command.Parameters.Add(name, type);
                }

                return command;
            }
        }

        public SqliteConnection Connection { get; }

        public void Enlist(SqliteTransaction transaction)
        {
            foreach (var command in new[] { _insert, _holder, _watermark, _savepoint, _rollbackToSavepoint, _releaseSavepoint })
            {
                command.Transaction = transaction;
            }
        }

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
                    _savepoint.ExecuteNonQuery();
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
                    var parameters = _watermark.Parameters;
                    parameters[0].Value = pending.Append.MachineId;
                    parameters[1].Value = MachineEventRows.WriteWatermark(mark);
                    parameters[2].Value = mark.QueueOffset;
                    _watermark.ExecuteNonQuery();
                }

                if (conflict is not null)
                {
                    _rollbackToSavepoint.ExecuteNonQuery();
                    pending.Conflict = conflict;
                }

                if (careful)
                {
                    _releaseSavepoint.ExecuteNonQuery();
                }
            }

            return true;
        }

        public void Dispose()
        {
            foreach (var command in new[] { _insert, _holder, _watermark, _savepoint, _rollbackToSavepoint, _releaseSavepoint })
            {
                command.Dispose();
            }
        }

        private bool InsertEvent(MachineEvent e)
        {
            var parameters = _insert.Parameters;
            parameters[0].Value = FormatId(e.Id);
            parameters[1].Value = e.MachineId;
            parameters[2].Value = e.Sequence;
            parameters[3].Value = e.Kind.ToString();
            parameters[4].Value = e.Timestamp.UtcTicks;
            parameters[5].Value = e.RecordedAt.UtcTicks;
            parameters[6].Value = e.Source.ToString();
            parameters[7].Value = (object?)e.State?.ToString() ?? DBNull.Value;
            parameters[8].Value = (object?)e.ReasonCode ?? DBNull.Value;
            parameters[9].Value = e.TotalDelta;
            parameters[10].Value = e.ScrapDelta;
            parameters[11].Value = e.RefersTo is { } target ? FormatId(target) : DBNull.Value;
            parameters[12].Value = (object?)e.Actor ?? DBNull.Value;
            parameters[13].Value = (object?)e.Note ?? DBNull.Value;
            parameters[14].Value = (object?)e.OrderNumber ?? DBNull.Value;
            parameters[15].Value = (object?)e.PartNumber ?? DBNull.Value;
            parameters[16].Value = e.IdealCycleTime is { } cycle ? cycle.Ticks : DBNull.Value;
            return _insert.ExecuteNonQuery() == 1;
        }

        // Null when the event is already there under its number (a retried append); otherwise why it cannot be.
        private string? Conflict(MachineEvent e)
        {
            _holder.Parameters[0].Value = e.MachineId;
            _holder.Parameters[1].Value = e.Sequence;
            var existing = _holder.ExecuteScalar() as string;
            return existing == FormatId(e.Id)
                ? null
                : existing is null
                    ? $"Event {e.Id} is already in the log under another machine or number."
                    : $"Event {e.Sequence} of {e.MachineId} is already {existing}; this activation's {e.Id} is stale.";
        }
    }
}
