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
internal sealed class SqliteHistoryStore(MesDatabase database, ILogger<SqliteHistoryStore> logger, RollupFollower? rollups = null)
    : EventLogWriter(logger), IMachineEventLog
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
            ORDER BY recorded_at DESC, seq DESC
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

    protected override Task WriteAsync(IReadOnlyList<PendingAppend> batch) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await InsertAsync(connection, transaction, batch);
            await FileRollupsAsync(connection, transaction, batch);
            return true;
        });

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

    private static async Task<bool> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<PendingAppend> batch)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            """
            INSERT INTO machine_event (id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note)
            VALUES ($id, $machine, $machineSeq, $kind, $ts, $recordedAt, $source, $state, $reasonCode, $totalDelta, $scrapDelta, $refersTo, $actor, $note)
            ON CONFLICT DO NOTHING;
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var machine = insert.Parameters.Add("$machine", SqliteType.Text);
        var machineSeq = insert.Parameters.Add("$machineSeq", SqliteType.Integer);
        var kind = insert.Parameters.Add("$kind", SqliteType.Text);
        var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
        var recordedAt = insert.Parameters.Add("$recordedAt", SqliteType.Integer);
        var source = insert.Parameters.Add("$source", SqliteType.Text);
        var state = insert.Parameters.Add("$state", SqliteType.Text);
        var reasonCode = insert.Parameters.Add("$reasonCode", SqliteType.Text);
        var totalDelta = insert.Parameters.Add("$totalDelta", SqliteType.Integer);
        var scrapDelta = insert.Parameters.Add("$scrapDelta", SqliteType.Integer);
        var refersTo = insert.Parameters.Add("$refersTo", SqliteType.Text);
        var actor = insert.Parameters.Add("$actor", SqliteType.Text);
        var note = insert.Parameters.Add("$note", SqliteType.Text);
        insert.Prepare();

        await using var holder = connection.CreateCommand();
        holder.Transaction = transaction;
        holder.CommandText = "SELECT id FROM machine_event WHERE machine_id = $machine AND machine_seq = $machineSeq;";
        var holderMachine = holder.Parameters.Add("$machine", SqliteType.Text);
        var holderSeq = holder.Parameters.Add("$machineSeq", SqliteType.Integer);

        // A watermark never goes back: a stale activation's older one loses to the newer one already written.
        await using var watermark = connection.CreateCommand();
        watermark.Transaction = transaction;
        watermark.CommandText =
            """
            INSERT INTO telemetry_watermark (machine_id, payload, updated_at) VALUES ($machine, $payload, $offset)
            ON CONFLICT (machine_id) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
            WHERE excluded.updated_at >= telemetry_watermark.updated_at;
            """;
        var watermarkMachine = watermark.Parameters.Add("$machine", SqliteType.Text);
        var watermarkPayload = watermark.Parameters.Add("$payload", SqliteType.Text);
        var watermarkOffset = watermark.Parameters.Add("$offset", SqliteType.Integer);

        await using var savepoint = connection.CreateCommand();
        savepoint.Transaction = transaction;

        foreach (var pending in batch)
        {
            // A savepoint per append: a stale activation's conflict undoes its own rows, not its neighbours'.
            await ExecuteAsync(savepoint, "SAVEPOINT append;");
            var conflict = (string?)null;
            foreach (var e in pending.Append.Events)
            {
                id.Value = FormatId(e.Id);
                machine.Value = e.MachineId;
                machineSeq.Value = e.Sequence;
                kind.Value = e.Kind.ToString();
                ts.Value = e.Timestamp.UtcTicks;
                recordedAt.Value = e.RecordedAt.UtcTicks;
                source.Value = e.Source.ToString();
                state.Value = (object?)e.State?.ToString() ?? DBNull.Value;
                reasonCode.Value = (object?)e.ReasonCode ?? DBNull.Value;
                totalDelta.Value = e.TotalDelta;
                scrapDelta.Value = e.ScrapDelta;
                refersTo.Value = e.RefersTo is { } target ? FormatId(target) : DBNull.Value;
                actor.Value = (object?)e.Actor ?? DBNull.Value;
                note.Value = (object?)e.Note ?? DBNull.Value;
                if (await insert.ExecuteNonQueryAsync() == 1)
                {
                    continue;
                }

                holderMachine.Value = e.MachineId;
                holderSeq.Value = e.Sequence;
                var existing = await holder.ExecuteScalarAsync() as string;
                if (existing != FormatId(e.Id))
                {
                    conflict = existing is null
                        ? $"Event {e.Id} is already in the log under another machine or number."
                        : $"Event {e.Sequence} of {e.MachineId} is already {existing}; this activation's {e.Id} is stale.";
                    break;
                }
            }

            if (conflict is null && pending.Append.Watermark is { } mark)
            {
                watermarkMachine.Value = pending.Append.MachineId;
                watermarkPayload.Value = MachineEventRows.WriteWatermark(mark);
                watermarkOffset.Value = mark.QueueOffset;
                await watermark.ExecuteNonQueryAsync();
            }

            if (conflict is not null)
            {
                await ExecuteAsync(savepoint, "ROLLBACK TO append;");
                pending.Conflict = conflict;
            }

            await ExecuteAsync(savepoint, "RELEASE append;");
        }

        return true;
    }

    private static async Task ExecuteAsync(SqliteCommand command, string sql)
    {
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    // Lower-case "D" form, the same for ids and for the references to them.
    private static string FormatId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);
}
