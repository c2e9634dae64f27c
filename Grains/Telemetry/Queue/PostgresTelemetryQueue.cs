using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MesOrleans.Telemetry.Queue;

/// <summary>
/// The telemetry stream's queue on PostgreSQL (cluster mode; <c>deploy/postgres/006-mes-telemetry-queue.sql</c>). Each
/// silo group-commits what its bridge received: one transaction takes ids from the queue's one counter (its row stays
/// locked until the commit, so ids become visible in order), inserts the messages, and notifies the partitions' readers.
/// Readers wake on the notification and poll now and then in case one was missed; deletes share the commits.
/// </summary>
internal sealed partial class PostgresTelemetryQueue : TelemetryQueue
{
    private const string Channel = "mes_telemetry_queue";
    private const int MaxWritesPerCommit = 2_000;
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan DepthRefresh = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly Channel<Write> _writes = System.Threading.Channels.Channel.CreateUnbounded<Write>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly int[] _wakeups;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _writeLoop;
    private Task? _listenLoop;
    private Timer? _depthTimer;
    private long _depth;

    public PostgresTelemetryQueue(NpgsqlDataSource dataSource, TelemetryQueueOptions options, TimeProvider time, ILogger<PostgresTelemetryQueue> logger)
        : base(options, time)
    {
        _dataSource = dataSource;
        _logger = logger;
        _wakeups = new int[options.Partitions];
    }

    /// <summary>All silos' undelivered messages, counted every second and raised at once by this silo's own inserts.</summary>
    public override long Depth => Interlocked.Read(ref _depth);

    public override async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_writeLoop is not null)
        {
            return;
        }

        await RefreshDepthAsync();
        _writeLoop = Task.Run(WriteLoopAsync, CancellationToken.None);
        _listenLoop = Task.Run(ListenLoopAsync, CancellationToken.None);
        _depthTimer = new Timer(_ => _ = RefreshDepthAsync(), null, DepthRefresh, DepthRefresh);
    }

    public override Task DeleteAsync(int partition, IReadOnlyCollection<long> ids) =>
        ids.Count == 0 ? Task.CompletedTask : Submit(new Write(partition, null, null, null, ids.ToArray()));

    public override ITelemetryQueueReader OpenReader(int partition) => new QueueReader(this, partition);

    public override void Dispose()
    {
        _writes.Writer.TryComplete();
        _stopping.Cancel();
        _depthTimer?.Dispose();
        try
        {
            Task.WaitAll([_writeLoop ?? Task.CompletedTask, _listenLoop ?? Task.CompletedTask], TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Stopping: the loops' errors were logged where they happened.
        }

        _stopping.Dispose();
    }

    protected override Task InsertAsync(int partition, string streamNamespace, string streamKey, byte[] payload) =>
        Submit(new Write(partition, streamNamespace, streamKey, payload, null));

    protected override async Task<DateTimeOffset?> OldestEnqueuedAtAsync()
    {
        // The oldest of each partition's first message: an index lookup per partition, not a scan.
        await using var command = _dataSource.CreateCommand(
            """
            SELECT min(first) FROM (
                SELECT (SELECT enqueued_at FROM mes_telemetry_queue q WHERE q.partition = p ORDER BY id LIMIT 1) AS first
                FROM generate_series(0, @partitions - 1) AS p) AS partitions;
            """);
        command.Parameters.AddWithValue("partitions", Partitions);
        return await command.ExecuteScalarAsync() is DateTime oldest ? new DateTimeOffset(oldest, TimeSpan.Zero) : null;
    }

    private Task Submit(Write write) =>
        _writes.Writer.TryWrite(write) ? write.Done.Task : Task.FromException(new InvalidOperationException("The telemetry queue has stopped."));

    private async Task WriteLoopAsync()
    {
        var batch = new List<Write>();
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxWritesPerCommit && _writes.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            try
            {
                var (inserted, deleted) = await CommitAsync(batch);
                Interlocked.Add(ref _depth, inserted - deleted);
                if (deleted > 0)
                {
                    FreeRoom();
                }

                ClearFailure();
                batch.ForEach(w => w.Done.TrySetResult());
            }
            catch (Exception exception)
            {
                // Nothing of this commit happened: the devices are not acknowledged and send again.
                RecordFailure(exception);
                LogCommitFailed(_logger, exception, batch.Count);
                batch.ForEach(w => w.Done.TrySetException(exception));
            }

            batch.Clear();
        }
    }

    private async Task<(long Inserted, long Deleted)> CommitAsync(List<Write> batch)
    {
        var inserts = batch.Where(w => w.Payload is not null).ToList();
        var deletes = batch.Where(w => w.DeleteIds is not null).ToList();
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long deleted = 0;
        if (deletes.Count > 0)
        {
            await using var delete = new NpgsqlCommand(
                "DELETE FROM mes_telemetry_queue WHERE (partition, id) IN (SELECT * FROM unnest(@partitions, @ids));", connection, transaction);
            delete.Parameters.AddWithValue("partitions", deletes.SelectMany(d => d.DeleteIds!.Select(_ => d.Partition)).ToArray());
            delete.Parameters.AddWithValue("ids", deletes.SelectMany(d => d.DeleteIds!).ToArray());
            deleted = await delete.ExecuteNonQueryAsync();
        }

        if (inserts.Count > 0)
        {
            // Last in the transaction: the counter row stays locked from here to the commit, and other silos wait.
            await using var insert = new NpgsqlCommand(
                """
                WITH taken AS (
                    UPDATE mes_telemetry_counter SET last_id = last_id + @count RETURNING last_id - @count AS first_id)
                INSERT INTO mes_telemetry_queue (partition, id, stream_ns, stream_key, payload)
                SELECT m.partition, taken.first_id + m.n, m.stream_ns, m.stream_key, m.payload
                FROM taken, unnest(@partitions, @namespaces, @keys, @payloads) WITH ORDINALITY AS m(partition, stream_ns, stream_key, payload, n);
                SELECT pg_notify(@channel, p::text) FROM unnest(@touched) AS p;
                """,
                connection,
                transaction);
            insert.Parameters.AddWithValue("count", (long)inserts.Count);
            insert.Parameters.AddWithValue("partitions", inserts.Select(w => w.Partition).ToArray());
            insert.Parameters.AddWithValue("namespaces", inserts.Select(w => w.StreamNamespace!).ToArray());
            insert.Parameters.AddWithValue("keys", inserts.Select(w => w.StreamKey!).ToArray());
            insert.Parameters.AddWithValue("payloads", inserts.Select(w => w.Payload!).ToArray());
            insert.Parameters.AddWithValue("channel", Channel);
            insert.Parameters.AddWithValue("touched", inserts.Select(w => w.Partition).Distinct().ToArray());
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return (inserts.Count, deleted);
    }

    // One connection per silo listens for inserts by any silo and wakes the readers of the partitions named.
    private async Task ListenLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stopping.Token);
                connection.Notification += (_, e) =>
                {
                    if (int.TryParse(e.Payload, out var partition) && partition >= 0 && partition < _wakeups.Length)
                    {
                        Volatile.Write(ref _wakeups[partition], 1);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(_stopping.Token);
                }

                // Anything inserted while nobody listened is read by the next poll.
                WakeAll();
                while (!_stopping.IsCancellationRequested)
                {
                    await connection.WaitAsync(_stopping.Token);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogListenFailed(_logger, exception);
                WakeAll();
                await Task.Delay(FallbackPoll);
            }
        }
    }

    private void WakeAll()
    {
        for (var partition = 0; partition < _wakeups.Length; partition++)
        {
            Volatile.Write(ref _wakeups[partition], 1);
        }
    }

    private async Task RefreshDepthAsync()
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT count(*) FROM mes_telemetry_queue;");
            var counted = (long)(await command.ExecuteScalarAsync())!;
            var before = Interlocked.Exchange(ref _depth, counted);
            if (counted < before)
            {
                FreeRoom();
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            RecordFailure(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} telemetry queue writes failed; those devices are not acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for telemetry queue inserts failed; polling until it works again")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    /// <summary>An insert (payload) or a removal (ids) waiting for its commit.</summary>
    private sealed class Write(int partition, string? streamNamespace, string? streamKey, byte[]? payload, long[]? deleteIds)
    {
        public int Partition { get; } = partition;

        public string? StreamNamespace { get; } = streamNamespace;

        public string? StreamKey { get; } = streamKey;

        public byte[]? Payload { get; } = payload;

        public long[]? DeleteIds { get; } = deleteIds;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Reads one partition when a notification says it has news, and every half second in case one was missed.</summary>
    private sealed class QueueReader(PostgresTelemetryQueue queue, int partition) : ITelemetryQueueReader
    {
        private long _lastPoll;

        public async Task<IReadOnlyList<QueuedMessage>> ReadAsync(long afterId, int max)
        {
            var now = queue.Time.GetTimestamp();
            var woken = Interlocked.Exchange(ref queue._wakeups[partition], 0) == 1;
            if (!woken && queue.Time.GetElapsedTime(_lastPoll, now) < FallbackPoll)
            {
                return [];
            }

            _lastPoll = now;
            await using var command = queue._dataSource.CreateCommand(
                "SELECT id, stream_ns, stream_key, payload FROM mes_telemetry_queue WHERE partition = @partition AND id > @after ORDER BY id LIMIT @max;");
            command.Parameters.AddWithValue("partition", partition);
            command.Parameters.AddWithValue("after", afterId);
            command.Parameters.AddWithValue("max", max);
            var messages = new List<QueuedMessage>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                messages.Add(new QueuedMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3)));
            }

            // A full read may have left more behind: read again at the next poll without waiting for a notification.
            if (messages.Count == max)
            {
                Volatile.Write(ref queue._wakeups[partition], 1);
            }

            return messages;
        }

        public void Dispose()
        {
        }
    }
}
