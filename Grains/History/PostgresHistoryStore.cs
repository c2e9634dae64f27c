using System.Diagnostics.Metrics;
using MesOrleans.Machines;
using MesOrleans.Reports.Rollup;
using MesOrleans.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace MesOrleans.History;

/// <summary>
/// The machines' event log on PostgreSQL (cluster mode), group-committed (<see cref="EventLogWriter"/>): a commit
/// copies its events with binary COPY into a session table, inserts them from there, then looks for numbers another
/// activation holds. A conflict is rare (a stale activation after a silo died), so the transaction is then rolled back
/// and written again without the conflicting appends, which fail on their own.
/// </summary>
internal sealed class PostgresHistoryStore(NpgsqlDataSource dataSource, ILogger<PostgresHistoryStore> logger, RollupFollower? rollups = null, IMeterFactory? meters = null)
    : EventLogWriter(logger, meters), IMachineEventLog
{
    private const string Staging = "mes_event_staging";

    public async Task<IReadOnlyList<MachineEvent>> ReadAfterAsync(string machineId, long afterSequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var command = dataSource.CreateCommand(
            $"SELECT {MachineEventRows.Columns} FROM mes_machine_event WHERE machine_id = @machine AND machine_seq > @after ORDER BY machine_seq;");
        command.Parameters.AddWithValue("machine", machineId);
        command.Parameters.AddWithValue("after", afterSequence);
        return await MachineEventRows.ReadAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<MachineEvent>> ReadOrderAfterAsync(
        string machineId, string orderNumber, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        ArgumentException.ThrowIfNullOrEmpty(orderNumber);
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {MachineEventRows.Columns} FROM mes_machine_event
            WHERE order_number = @order AND machine_id = @machine AND machine_seq > @after
            ORDER BY machine_seq LIMIT @limit;
            """);
        command.Parameters.AddWithValue("order", orderNumber);
        command.Parameters.AddWithValue("machine", machineId);
        command.Parameters.AddWithValue("after", afterSequence);
        command.Parameters.AddWithValue("limit", limit);
        return await MachineEventRows.ReadAsync(command, cancellationToken);
    }

    public async Task<long> ReadLastSequenceAsync(string machineId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(machine_seq), 0) FROM mes_machine_event WHERE machine_id = @machine;");
        command.Parameters.AddWithValue("machine", machineId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<TelemetryWatermark?> ReadWatermarkAsync(string machineId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var command = dataSource.CreateCommand("SELECT payload FROM mes_telemetry_watermark WHERE machine_id = @machine;");
        command.Parameters.AddWithValue("machine", machineId);
        return MachineEventRows.ReadWatermark(await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<MachineEvent>> ReadWindowAsync(string machineId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);

        // The window, the state in effect at its start, and the corrections of those, followed transitively.
        await using var command = dataSource.CreateCommand(
            $"""
            WITH RECURSIVE picked(seq, id) AS (
                SELECT seq, id FROM mes_machine_event
                WHERE machine_id = @machine AND ts >= @from AND ts < @to
                UNION
                SELECT seq, id FROM (
                    SELECT seq, id FROM mes_machine_event
                    WHERE machine_id = @machine AND kind = 'StateChanged' AND ts < @from
                    ORDER BY ts DESC, seq DESC LIMIT 1) AS in_effect
                UNION
                SELECT correction.seq, correction.id FROM mes_machine_event AS correction
                JOIN picked ON correction.refers_to = picked.id
                WHERE correction.kind IN ('StopRecoded', 'StopSplit', 'Voided')
            )
            SELECT {MachineEventRows.Columns} FROM mes_machine_event
            WHERE seq IN (SELECT seq FROM picked)
            ORDER BY ts, seq;
            """);
        command.Parameters.AddWithValue("machine", machineId);
        command.Parameters.AddWithValue("from", from.UtcTicks);
        command.Parameters.AddWithValue("to", to.UtcTicks);
        return await MachineEventRows.ReadAsync(command, cancellationToken);
    }

    public async Task<MachineEvent?> FindAsync(string machineId, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var command = dataSource.CreateCommand($"SELECT {MachineEventRows.Columns} FROM mes_machine_event WHERE id = @id AND machine_id = @machine;");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("machine", machineId);
        return (await MachineEventRows.ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<MachineEvent>> ReadRecentAsync(string machineId, int count, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var command = dataSource.CreateCommand(
            $"SELECT {MachineEventRows.Columns} FROM mes_machine_event WHERE machine_id = @machine ORDER BY machine_seq DESC LIMIT @count;");
        command.Parameters.AddWithValue("machine", machineId);
        command.Parameters.AddWithValue("count", count);
        return await MachineEventRows.ReadAsync(command, cancellationToken);
    }

    protected override async Task WriteAsync(IReadOnlyList<PendingAppend> batch)
    {
        var writing = batch.ToList();
        while (writing.Count > 0)
        {
            var conflicts = await TryWriteAsync(writing);
            if (conflicts.Count == 0)
            {
                return;
            }

            // Rolled back: mark the stale appends and write the others again.
            foreach (var (index, holder) in conflicts)
            {
                var e = writing[index].Append;
                writing[index].Conflict = $"Events of {e.MachineId} from {e.Events[0].Sequence} on are already in the log ({holder}); this activation is stale.";
            }

            writing = writing.Where(p => p.Conflict is null).ToList();
        }
    }

    // Writes everything or, when some appends' numbers are taken, nothing; returns those appends by index.
    private async Task<Dictionary<int, string>> TryWriteAsync(List<PendingAppend> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var staging = new NpgsqlCommand(
            $"""
            CREATE TEMP TABLE IF NOT EXISTS {Staging} (
                append_no int, id uuid, machine_id text, machine_seq bigint, kind text, ts bigint, recorded_at bigint, source text,
                state text, reason_code text, total_delta bigint, scrap_delta bigint, refers_to uuid, actor text, note text,
                order_number text, part_number text, ideal_cycle_time bigint
            ) ON COMMIT DELETE ROWS;
            """,
            connection,
            transaction))
        {
            await staging.ExecuteNonQueryAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {Staging} (append_no, id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note, order_number, part_number, ideal_cycle_time) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                foreach (var e in batch[i].Append.Events)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(i, NpgsqlDbType.Integer);
                    await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(e.MachineId, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.Sequence, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(e.Kind.ToString(), NpgsqlDbType.Text);
                    await copy.WriteAsync(e.Timestamp.UtcTicks, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(e.RecordedAt.UtcTicks, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(e.Source.ToString(), NpgsqlDbType.Text);
                    await WriteNullableAsync(copy, e.State?.ToString(), NpgsqlDbType.Text);
                    await WriteNullableAsync(copy, e.ReasonCode, NpgsqlDbType.Text);
                    await copy.WriteAsync(e.TotalDelta, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(e.ScrapDelta, NpgsqlDbType.Bigint);
                    await WriteNullableAsync(copy, e.RefersTo, NpgsqlDbType.Uuid);
                    await WriteNullableAsync(copy, e.Actor, NpgsqlDbType.Text);
                    await WriteNullableAsync(copy, e.Note, NpgsqlDbType.Text);
                    await WriteNullableAsync(copy, e.OrderNumber, NpgsqlDbType.Text);
                    await WriteNullableAsync(copy, e.PartNumber, NpgsqlDbType.Text);
                    await (e.IdealCycleTime is { } cycle ? copy.WriteAsync(cycle.Ticks, NpgsqlDbType.Bigint) : copy.WriteNullAsync());
                }
            }

            await copy.CompleteAsync();
        }

        await using (var insert = new NpgsqlCommand(
            $"""
            INSERT INTO mes_machine_event (id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note, order_number, part_number, ideal_cycle_time)
            SELECT id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note, order_number, part_number, ideal_cycle_time
            FROM {Staging} ORDER BY append_no, machine_seq
            ON CONFLICT DO NOTHING;
            """,
            connection,
            transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        // Rows skipped because their number or id was taken by a different event: after the insert, so that an
        // append racing ours from another silo is seen too.
        var conflicts = new Dictionary<int, string>();
        await using (var check = new NpgsqlCommand(
            $"""
            SELECT s.append_no, e.id::text FROM {Staging} s
            JOIN mes_machine_event e ON e.machine_id = s.machine_id AND e.machine_seq = s.machine_seq
            WHERE e.id <> s.id
            UNION ALL
            SELECT s.append_no, e.machine_id || '#' || e.machine_seq FROM {Staging} s
            JOIN mes_machine_event e ON e.id = s.id
            WHERE e.machine_id <> s.machine_id OR e.machine_seq <> s.machine_seq;
            """,
            connection,
            transaction))
        await using (var reader = await check.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                conflicts.TryAdd(reader.GetInt32(0), reader.GetString(1));
            }
        }

        if (conflicts.Count > 0)
        {
            await transaction.RollbackAsync();
            return conflicts;
        }

        await WriteWatermarksAsync(connection, transaction, batch);
        await FileRollupsAsync(connection, transaction, batch);
        await transaction.CommitAsync();
        return conflicts;
    }

    // Rollups commit with the events; when filing them fails, the events still commit and the rollups catch up later.
    private async Task FileRollupsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingAppend> batch)
    {
        var appended = Appended(batch);
        if (rollups is null || appended.Count == 0)
        {
            return;
        }

        await transaction.SaveAsync("rollups");
        try
        {
            await rollups.FileAsync(PostgresRollups.Session(connection, transaction), appended);
        }
        catch (Exception error)
        {
            await transaction.RollbackAsync("rollups");
            rollups.Missed(appended.Keys, error);
        }

        await transaction.ReleaseAsync("rollups");
    }

    // One row per machine (the newest of the batch), and never back to an older queue position.
    private static async Task WriteWatermarksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingAppend> batch)
    {
        var newest = new Dictionary<string, TelemetryWatermark>();
        foreach (var pending in batch)
        {
            if (pending.Append.Watermark is { } mark)
            {
                newest[pending.Append.MachineId] = mark;
            }
        }

        if (newest.Count == 0)
        {
            return;
        }

        await using var upsert = new NpgsqlCommand(
            """
            INSERT INTO mes_telemetry_watermark (machine_id, payload, queue_offset)
            SELECT * FROM unnest(@machines, @payloads, @offsets)
            ON CONFLICT (machine_id) DO UPDATE SET payload = excluded.payload, queue_offset = excluded.queue_offset
            WHERE excluded.queue_offset >= mes_telemetry_watermark.queue_offset;
            """,
            connection,
            transaction);
        upsert.Parameters.AddWithValue("machines", newest.Keys.ToArray());
        upsert.Parameters.AddWithValue("payloads", newest.Values.Select(MachineEventRows.WriteWatermark).ToArray());
        upsert.Parameters.AddWithValue("offsets", newest.Values.Select(m => m.QueueOffset).ToArray());
        await upsert.ExecuteNonQueryAsync();
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type) =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, type);
}
