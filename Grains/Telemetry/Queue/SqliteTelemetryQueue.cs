using MesOrleans.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Telemetry.Queue;

/// <summary>
/// The telemetry stream's queue: a table in its own SQLite file next to <c>mes.db</c>. A message is in it, durable,
/// before its device is acknowledged, and leaves it only after its machine grain appended what it caused.
/// </summary>
/// <remarks>
/// <para>Its own file, because the queue takes an insert per message on the broker's hot path and a delete per batch
/// delivered: sharing <c>mes.db</c>'s one writer would make every acknowledgement wait for event-log commits.</para>
/// <para>Writes are group-committed on a thread of their own: a producer hands its message over and is told when the
/// commit that carries it is done, so that the messages every connection has in flight share commits. In WAL mode with
/// <c>synchronous=NORMAL</c> a commit survives a crash of the process; checkpoints run in the background so that no
/// acknowledgement waits for one.</para>
/// <para>Ids start at the file's creation time in microseconds and only grow (AUTOINCREMENT), so a machine grain can
/// recognise a redelivered message by its id even after the queue file was deleted and made again.</para>
/// <para>The insert, the delete and the readers' select run as <see cref="SqliteStatement"/>s: they run per message.</para>
/// </remarks>
internal sealed partial class SqliteTelemetryQueue : TelemetryQueue
{
    private static readonly TimeSpan CheckpointPeriod = TimeSpan.FromSeconds(1);

    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly long[] _newest;
    private SqliteConnection? _writer;
    private SqliteStatement? _insert;
    private SqliteStatement? _delete;
    private Timer? _checkpoints;
    private List<Write> _pending = [];
    private List<Write> _spare = [];
    private TaskCompletionSource? _pendingDone;
    private Thread? _committer;
    private bool _stopping;
    private long _depth;

    public SqliteTelemetryQueue(string path, TelemetryQueueOptions options, TimeProvider time, ILogger<SqliteTelemetryQueue> logger)
        : base(options, time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger;
        _newest = new long[options.Partitions];
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Messages in the queue: not yet delivered, or delivered but not yet removed.</summary>
    public override long Depth => Interlocked.Read(ref _depth);

    /// <summary>Creates the file and table if needed and counts what an earlier run left undelivered.</summary>
    public override Task OpenAsync(CancellationToken cancellationToken = default)
    {
        Open();
        return Task.CompletedTask;
    }

    private void Open()
    {
        lock (_gate)
        {
            if (_writer is not null)
            {
                return;
            }

            if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            var writer = new SqliteConnection(_connectionString);
            writer.Open();
            var synchronous = Options.Durability == QueueDurability.Full ? "FULL" : "NORMAL";
            Execute(writer, $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 0;");
            Execute(
                writer,
                $"""
                CREATE TABLE IF NOT EXISTS telemetry_queue (
                    id          INTEGER PRIMARY KEY AUTOINCREMENT,
                    partition   INTEGER NOT NULL,
                    stream_ns   TEXT NOT NULL,
                    stream_key  TEXT NOT NULL,
                    payload     BLOB NOT NULL,
                    enqueued_at INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS ix_telemetry_queue_partition ON telemetry_queue (partition, id);
                INSERT INTO sqlite_sequence (name, seq)
                SELECT 'telemetry_queue', {Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000}
                WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'telemetry_queue');
                """);
            using (var count = writer.CreateCommand())
            {
                count.CommandText = "SELECT partition, count(*), max(id) FROM telemetry_queue GROUP BY partition;";
                using var reader = count.ExecuteReader();
                while (reader.Read())
                {
                    _depth += reader.GetInt64(1);
                    var partition = reader.GetInt32(0);
                    if (partition < _newest.Length)
                    {
                        _newest[partition] = reader.GetInt64(2);
                    }
                }
            }

            _insert = new SqliteStatement(
                writer,
                "INSERT INTO telemetry_queue (partition, stream_ns, stream_key, payload, enqueued_at) VALUES ($partition, $ns, $key, $payload, $at) RETURNING id;");
            _delete = new SqliteStatement(writer, "DELETE FROM telemetry_queue WHERE id IN (SELECT value FROM json_each($ids));");
            _writer = writer;
            _checkpoints = new Timer(_ => Checkpoint(), null, CheckpointPeriod, CheckpointPeriod);
            _committer = new Thread(CommitPending) { IsBackground = true, Name = "Telemetry queue commits" };
            _committer.Start();
            LogOpened(_logger, Path, _depth);
        }
    }

    public override Task DeleteAsync(int partition, IReadOnlyCollection<long> ids) =>
        ids.Count == 0 ? Task.CompletedTask : SubmitAsync(new Write(0, null, null, null, "[" + string.Join(',', ids) + "]"));

    public override ITelemetryQueueReader OpenReader(int partition) => new QueueReader(this, _connectionString, partition);

    protected override Task InsertAsync(int partition, string streamNamespace, string streamKey, byte[] payload) =>
        SubmitAsync(new Write(partition, streamNamespace, streamKey, payload, null));

    protected override Task<DateTimeOffset?> OldestEnqueuedAtAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT enqueued_at FROM telemetry_queue ORDER BY id LIMIT 1;";
        return Task.FromResult(command.ExecuteScalar() is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : (DateTimeOffset?)null);
    }

    public override void Dispose()
    {
        _checkpoints?.Dispose();
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        // What was handed over before is committed first.
        _committer?.Join();
        lock (_gate)
        {
            _insert?.Dispose();
            _delete?.Dispose();
            if (_writer is not null)
            {
                SqliteConnection.ClearPool(_writer);
                _writer.Dispose();
                _writer = null;
            }
        }
    }

    private Task SubmitAsync(Write write)
    {
        lock (_gate)
        {
            if (_committer is null || _stopping)
            {
                return Task.FromException(new InvalidOperationException("The telemetry queue is not open."));
            }

            _pending.Add(write);
            _pendingDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Monitor.Pulse(_gate);
            return _pendingDone.Task;
        }
    }

    // Commits what is pending until the queue closes, on a thread of its own: a producer (the broker reading a
    // connection) only hands its message over and goes on reading, so that the messages a connection has in flight
    // share commits; and a commit never waits in the thread pool's queue behind the grains' work, which would hold up
    // every acknowledgement it carries.
    private void CommitPending()
    {
        while (true)
        {
            List<Write> batch;
            TaskCompletionSource done;
            lock (_gate)
            {
                while (_pending.Count == 0)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    Monitor.Wait(_gate);
                }

                batch = _pending;
                done = _pendingDone!;
                _pending = _spare;
                _pendingDone = null;
            }

            Commit(batch, done);
            batch.Clear();
            lock (_gate)
            {
                _spare = batch;
            }
        }
    }

    private void Commit(List<Write> batch, TaskCompletionSource done)
    {
        var inserted = new long[_newest.Length];
        long added = 0, removed = 0;
        try
        {
            var writer = _writer ?? throw new InvalidOperationException("The telemetry queue is not open.");
            using (var transaction = writer.BeginTransaction())
            {
                var now = Time.GetUtcNow().UtcTicks;
                foreach (var write in batch)
                {
                    if (write.DeleteIds is { } ids)
                    {
                        _delete!.Bind(1, ids);
                        removed += _delete.Execute();
                        continue;
                    }

                    inserted[write.Partition] = Insert(_insert!, write, now);
                    added++;
                }

                transaction.Commit();
            }

            for (var partition = 0; partition < inserted.Length; partition++)
            {
                if (inserted[partition] > 0)
                {
                    Volatile.Write(ref _newest[partition], inserted[partition]);
                }
            }

            Interlocked.Add(ref _depth, added - removed);
            if (removed > 0)
            {
                FreeRoom();
            }

            ClearFailure();
            done.TrySetResult();
        }
        catch (Exception exception)
        {
            // A full disk or a broken file: nothing of this commit happened; devices are not acknowledged and re-send.
            RecordFailure(exception);
            LogCommitFailed(_logger, exception, batch.Count);
            done.TrySetException(exception);
        }
    }

    // The new message's id.
    private static long Insert(SqliteStatement insert, Write write, long now)
    {
        insert.Bind(1, write.Partition);
        insert.Bind(2, write.StreamNamespace);
        insert.Bind(3, write.StreamKey);
        insert.BindBlob(4, write.Payload);
        insert.Bind(5, now);
        return insert.TryReadFirst(static row => row.GetInt64(0), out var id)
            ? id
            : throw new InvalidOperationException("The telemetry queue's insert returned no id.");
    }

    private void Checkpoint()
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            Execute(connection, "PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (Exception exception) when (exception is SqliteException or ObjectDisposedException)
        {
            LogCheckpointFailed(_logger, exception);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telemetry queue {Path} open with {Depth} messages left to deliver")]
    private static partial void LogOpened(ILogger logger, string path, long depth);

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} telemetry queue writes failed; those devices are not acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpointing the telemetry queue failed; trying again")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);

    /// <summary>An insert (payload) or a removal (ids as a JSON array).</summary>
    private sealed class Write(int partition, string? streamNamespace, string? streamKey, byte[]? payload, string? deleteIds)
    {
        public int Partition { get; } = partition;

        public string? StreamNamespace { get; } = streamNamespace;

        public string? StreamKey { get; } = streamKey;

        public byte[]? Payload { get; } = payload;

        public string? DeleteIds { get; } = deleteIds;
    }

    /// <summary>
    /// Reads one partition in id order on a connection of its own; idle polls cost nothing, because the queue knows the
    /// newest id of each partition it wrote.
    /// </summary>
    private sealed class QueueReader : ITelemetryQueueReader
    {
        private readonly SqliteTelemetryQueue _queue;
        private readonly int _partition;
        private readonly SqliteConnection _connection;
        private readonly SqliteStatement _select;

        public QueueReader(SqliteTelemetryQueue queue, string connectionString, int partition)
        {
            _queue = queue;
            _partition = partition;
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            Execute(_connection, "PRAGMA busy_timeout = 5000;");
            _select = new SqliteStatement(
                _connection,
                "SELECT id, stream_ns, stream_key, payload FROM telemetry_queue WHERE partition = $partition AND id > $after ORDER BY id LIMIT $max;");
        }

        public Task<IReadOnlyList<QueuedMessage>> ReadAsync(long afterId, int max)
        {
            if (Volatile.Read(ref _queue._newest[_partition]) <= afterId)
            {
                return Task.FromResult<IReadOnlyList<QueuedMessage>>([]);
            }

            _select.Bind(1, _partition);
            _select.Bind(2, afterId);
            _select.Bind(3, max);
            var messages = _select.ReadAll(static row => new QueuedMessage(row.GetInt64(0), row.GetString(1)!, row.GetString(2)!, row.GetBytes(3).ToArray()));
            return Task.FromResult<IReadOnlyList<QueuedMessage>>(messages);
        }

        public void Dispose()
        {
            _select.Dispose();
            _connection.Dispose();
        }
    }
}
