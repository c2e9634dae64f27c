using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using MesOrleans.Machines;
using MesOrleans.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MesOrleans.History;

/// <summary>
/// The history store on <c>mes.db</c>. <see cref="Append"/> only queues, so grains never wait for the disk; a
/// background loop writes the queue in batches, one transaction each, and keeps failed batches queued until they
/// are written. Stopping the service writes everything still queued.
/// </summary>
internal sealed partial class SqliteHistoryStore(MesDatabase database, ILogger<SqliteHistoryStore> logger)
    : IHistoryStore, IHostedService, IDisposable
{
    private const int MaxBatchSize = 5_000;
    private static readonly TimeSpan MaxBatchDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly Channel<QueuedItem> _queue = Channel.CreateUnbounded<QueuedItem>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    // Cancelled only when the host gives up waiting for StopAsync: then the queue cannot be written.
    private readonly CancellationTokenSource _abort = new();
    private Task? _writeLoop;
    private long _pendingCount;

    /// <summary>Events appended but not yet written.</summary>
    internal long PendingCount => Interlocked.Read(ref _pendingCount);

    public void Append(MachineEvent machineEvent)
    {
        ArgumentNullException.ThrowIfNull(machineEvent);
        ArgumentException.ThrowIfNullOrEmpty(machineEvent.MachineId);
        Interlocked.Increment(ref _pendingCount);
        if (!_queue.Writer.TryWrite(new QueuedItem(machineEvent, null, Stopwatch.GetTimestamp())))
        {
            Interlocked.Decrement(ref _pendingCount);
            throw new InvalidOperationException($"The history store has stopped; event {machineEvent.Id} of {machineEvent.MachineId} cannot be recorded.");
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // After a stop the queue is closed and everything in it has been written (or reported lost).
        return _queue.Writer.TryWrite(new QueuedItem(null, flushed, Stopwatch.GetTimestamp()))
            ? flushed.Task.WaitAsync(cancellationToken)
            : Task.CompletedTask;
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
        _writeLoop ??= Task.Run(() => WriteLoopAsync(_abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writeLoop is null)
        {
            return;
        }

        await using var registration = cancellationToken.Register(_abort.Cancel);
        await _writeLoop;
    }

    public void Dispose() => _abort.Dispose();

    private async Task WriteLoopAsync(CancellationToken abort)
    {
        var batch = new List<MachineEvent>(MaxBatchSize);
        var flushes = new List<TaskCompletionSource>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(abort))
            {
                await FillBatchAsync(batch, flushes, abort);
                if (batch.Count > 0)
                {
                    await WriteWithRetryAsync(batch, abort);
                    Interlocked.Add(ref _pendingCount, -batch.Count);
                    batch.Clear();
                }

                foreach (var flushed in flushes)
                {
                    flushed.TrySetResult();
                }

                flushes.Clear();
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            var lost = batch.Count;
            while (_queue.Reader.TryRead(out var item))
            {
                if (item.Flushed is { } flushed)
                {
                    flushes.Add(flushed);
                }
                else
                {
                    lost++;
                }
            }

            foreach (var flushed in flushes)
            {
                flushed.TrySetException(new InvalidOperationException("The history store stopped before the queued events could be written."));
            }

            if (lost > 0)
            {
                Interlocked.Add(ref _pendingCount, -lost);
                LogLost(lost);
            }
        }
    }

    // Takes what is queued, up to a batch, and waits for more only until the batch's first event is MaxBatchDelay
    // old. A flush request ends the batch at once: whoever flushes is waiting.
    private async Task FillBatchAsync(List<MachineEvent> batch, List<TaskCompletionSource> flushes, CancellationToken abort)
    {
        var reader = _queue.Reader;
        using var batchDeadline = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var deadlineSet = false;
        while (true)
        {
            while (batch.Count < MaxBatchSize && reader.TryRead(out var item))
            {
                if (item.Flushed is { } flushed)
                {
                    flushes.Add(flushed);
                    return;
                }

                if (!deadlineSet)
                {
                    deadlineSet = true;
                    var remaining = MaxBatchDelay - Stopwatch.GetElapsedTime(item.QueuedAt);
                    batchDeadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
                }

                batch.Add(item.Event!);
            }

            if (batch.Count >= MaxBatchSize || batchDeadline.IsCancellationRequested)
            {
                return;
            }

            try
            {
                if (!await reader.WaitToReadAsync(batchDeadline.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!abort.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task WriteWithRetryAsync(List<MachineEvent> batch, CancellationToken abort)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, batch), abort);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !abort.IsCancellationRequested)
            {
                LogWriteFailed(exception, batch.Count, attempt, delay);
                await Task.Delay(delay, abort);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private static async Task<int> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, List<MachineEvent> batch)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            """
            INSERT INTO machine_event (id, machine_id, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note)
            VALUES ($id, $machine, $kind, $ts, $recordedAt, $source, $state, $reasonCode, $totalDelta, $scrapDelta, $refersTo, $actor, $note)
            ON CONFLICT (id) DO NOTHING;
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var machine = command.Parameters.Add("$machine", SqliteType.Text);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var ts = command.Parameters.Add("$ts", SqliteType.Integer);
        var recordedAt = command.Parameters.Add("$recordedAt", SqliteType.Integer);
        var source = command.Parameters.Add("$source", SqliteType.Text);
        var state = command.Parameters.Add("$state", SqliteType.Text);
        var reasonCode = command.Parameters.Add("$reasonCode", SqliteType.Text);
        var totalDelta = command.Parameters.Add("$totalDelta", SqliteType.Integer);
        var scrapDelta = command.Parameters.Add("$scrapDelta", SqliteType.Integer);
        var refersTo = command.Parameters.Add("$refersTo", SqliteType.Text);
        var actor = command.Parameters.Add("$actor", SqliteType.Text);
        var note = command.Parameters.Add("$note", SqliteType.Text);
        command.Prepare();

        var inserted = 0;
        foreach (var e in batch)
        {
            id.Value = FormatId(e.Id);
            machine.Value = e.MachineId;
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
            inserted += await command.ExecuteNonQueryAsync();
        }

        return inserted;
    }

    private const string EventColumns =
        "id, machine_id, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note";

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
            });
        }

        return events;
    }

    // Lower-case "D" form, the same for ids and for the references to them.
    private static string FormatId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} history events failed (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogWriteFailed(Exception exception, int count, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The history store was stopped before it could write {Count} queued events; they are lost")]
    private partial void LogLost(int count);

    /// <summary>An event to write, or a flush request that completes once everything before it is written.</summary>
    private readonly record struct QueuedItem(MachineEvent? Event, TaskCompletionSource? Flushed, long QueuedAt);
}
