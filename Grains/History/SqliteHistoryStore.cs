using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using MesOrleans.Machines;
using MesOrleans.Storage;
using MesOrleans.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MesOrleans.History;

/// <summary>
/// The machines' event log on <c>mes.db</c>. Appends are group-committed: one loop writes whatever machines appended
/// while the previous transaction ran, in one transaction, and completes each append once it is durable. A process
/// crash therefore loses no append that completed, and an append that did not complete left nothing behind.
/// </summary>
internal sealed partial class SqliteHistoryStore(MesDatabase database, ILogger<SqliteHistoryStore> logger)
    : IMachineEventLog, IHostedService
{
    // Bounds one transaction, so that a burst does not hold the one write connection for long.
    private const int MaxEventsPerCommit = 5_000;

    private static readonly JsonSerializerOptions WatermarkJson = new(JsonSerializerDefaults.General);

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private Task? _writeLoop;

    public Task AppendAsync(MachineAppend append)
    {
        ArgumentNullException.ThrowIfNull(append);
        ArgumentException.ThrowIfNullOrEmpty(append.MachineId);
        foreach (var e in append.Events)
        {
            if (e.MachineId != append.MachineId || e.Sequence <= 0)
            {
                throw new ArgumentException($"Event {e.Id} is not numbered for machine {append.MachineId}.", nameof(append));
            }
        }

        var pending = new PendingAppend(append);
        return _queue.Writer.TryWrite(pending)
            ? pending.Done.Task
            : Task.FromException(new InvalidOperationException($"The event log has stopped; {append.MachineId} cannot append."));
    }

    public async Task<IReadOnlyList<MachineEvent>> ReadAfterAsync(string machineId, long afterSequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventColumns} FROM machine_event WHERE machine_id = $machine AND machine_seq > $after ORDER BY machine_seq;";
        command.Parameters.AddWithValue("$machine", machineId);
        command.Parameters.AddWithValue("$after", afterSequence);
        return await ReadEventsAsync(command, cancellationToken);
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
        return await command.ExecuteScalarAsync(cancellationToken) is string payload
            ? JsonSerializer.Deserialize<TelemetryWatermark>(payload, WatermarkJson)
            : null;
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
            SELECT {EventColumns} FROM machine_event
            WHERE seq IN (SELECT seq FROM picked)
            ORDER BY ts, seq;
            """;
        command.Parameters.AddWithValue("$machine", machineId);
        command.Parameters.AddWithValue("$from", from.UtcTicks);
        command.Parameters.AddWithValue("$to", to.UtcTicks);
        return await ReadEventsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<MachineEvent>> ReadRecentAsync(string machineId, int count, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT {EventColumns} FROM machine_event
            WHERE machine_id = $machine
            ORDER BY recorded_at DESC, seq DESC
            LIMIT $count;
            """;
        command.Parameters.AddWithValue("$machine", machineId);
        command.Parameters.AddWithValue("$count", count);
        return await ReadEventsAsync(command, cancellationToken);
    }

    public async Task<MachineEvent?> FindAsync(string machineId, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventColumns} FROM machine_event WHERE id = $id AND machine_id = $machine;";
        command.Parameters.AddWithValue("$id", FormatId(id));
        command.Parameters.AddWithValue("$machine", machineId);
        return (await ReadEventsAsync(command, cancellationToken)).SingleOrDefault();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writeLoop ??= Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    // Grains are gone when this stage stops, so nothing appends any more; what is queued is written first.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writeLoop is not null)
        {
            await _writeLoop.WaitAsync(cancellationToken);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            var events = 0;
            while (events < MaxEventsPerCommit && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                events += pending.Append.Events.Count;
            }

            try
            {
                await database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, batch));
                foreach (var pending in batch)
                {
                    pending.Complete();
                }
            }
            catch (Exception exception)
            {
                // Nothing of this transaction was written: every append in it fails, and its grain starts over from the log.
                LogWriteFailed(exception, batch.Count, events);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(exception);
                }
            }

            batch.Clear();
        }
    }

    private static async Task<bool> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, List<PendingAppend> batch)
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
                watermarkPayload.Value = JsonSerializer.Serialize(mark, WatermarkJson);
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

    private const string EventColumns =
        "id, machine_id, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note, machine_seq";

    private static async Task<IReadOnlyList<MachineEvent>> ReadEventsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var events = new List<MachineEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new MachineEvent(
                Guid.Parse(reader.GetString(0)),
                reader.GetString(1),
                Enum.Parse<MachineEventKind>(reader.GetString(2)),
                new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                Enum.Parse<EventSource>(reader.GetString(5)))
            {
                State = reader.IsDBNull(6) ? null : Enum.Parse<MachineState>(reader.GetString(6)),
                ReasonCode = reader.IsDBNull(7) ? null : reader.GetString(7),
                TotalDelta = reader.GetInt64(8),
                ScrapDelta = reader.GetInt64(9),
                RefersTo = reader.IsDBNull(10) ? null : Guid.Parse(reader.GetString(10)),
                Actor = reader.IsDBNull(11) ? null : reader.GetString(11),
                Note = reader.IsDBNull(12) ? null : reader.GetString(12),
                Sequence = reader.IsDBNull(13) ? 0 : reader.GetInt64(13),
            });
        }

        return events;
    }

    // Lower-case "D" form, the same for ids and for the references to them.
    private static string FormatId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {Appends} appends ({Events} events) to the event log failed; their grains start over from the log")]
    private partial void LogWriteFailed(Exception exception, int appends, int events);

    private sealed class PendingAppend(MachineAppend append)
    {
        public MachineAppend Append { get; } = append;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when the append was undone because its numbers were taken.</summary>
        public string? Conflict { get; set; }

        public void Complete()
        {
            if (Conflict is null)
            {
                Done.TrySetResult();
            }
            else
            {
                Done.TrySetException(new EventLogConflictException(Conflict));
            }
        }
    }
}
