using System.Diagnostics;

namespace MesOrleans.Telemetry.Queue;

/// <summary>
/// The telemetry stream's queue, whatever database holds it: a message is in it, durable, before its device is
/// acknowledged, and leaves it only after its machine grain appended what it caused. Ids grow in the order messages
/// become visible within a partition, which lets a machine grain recognise a redelivered message by its id.
/// This class holds what every store shares: backpressure, refusal and the alarm.
/// </summary>
internal abstract class TelemetryQueue(TelemetryQueueOptions options, TimeProvider time) : IDisposable
{
    private readonly object _roomGate = new();
    private TaskCompletionSource _roomFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile QueueFailure? _lastFailure;
    private long _refused;

    public int Partitions => options.Partitions;

    protected TelemetryQueueOptions Options => options;

    protected TimeProvider Time => time;

    /// <summary>Messages in the queue (exact, or an estimate refreshed often when other processes write too).</summary>
    public abstract long Depth { get; }

    /// <summary>Messages refused since the process started: their devices were not acknowledged.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// The alarm as the process knows it, without a database round trip (metrics read it at every scrape):
    /// <see cref="QueueAlarm.Failing"/> from the last write until one succeeds, else as the depth stands.
    /// </summary>
    public QueueAlarm Alarm => Depth switch
    {
        _ when _lastFailure is not null => QueueAlarm.Failing,
        var depth when depth >= options.MaxDepth => QueueAlarm.Full,
        var depth when depth >= options.BackpressureDepth => QueueAlarm.Slowing,
        _ => QueueAlarm.None,
    };

    /// <summary>Creates what is missing and learns what an earlier run left undelivered. Called before the first use.</summary>
    public abstract Task OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a message in the queue; completes once it is durable. When the backlog is past
    /// <see cref="TelemetryQueueOptions.BackpressureDepth"/> it first waits for room (<see cref="WaitForRoomAsync"/>).
    /// </summary>
    public async Task EnqueueAsync(int partition, string streamNamespace, string streamKey, byte[] payload)
    {
        if (!HasRoom)
        {
            await WaitForRoomAsync();
        }

        await Submit(partition, streamNamespace, streamKey, payload);
    }

    /// <summary>
    /// Puts a message in the queue without waiting for room: the hand-over is done when this returns, so a producer
    /// that calls it for one message after the other keeps them in that order. The task completes once the message
    /// is durable, or fails when it could not be written (the device must not be acknowledged).
    /// </summary>
    public Task Submit(int partition, string streamNamespace, string streamKey, byte[] payload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, Partitions);
        return InsertAsync(partition, streamNamespace, streamKey, payload);
    }

    /// <summary>The backlog is below <see cref="TelemetryQueueOptions.BackpressureDepth"/>: a message may go in at once.</summary>
    public bool HasRoom => Depth < options.BackpressureDepth;

    /// <summary>
    /// Waits until the backlog is below <see cref="TelemetryQueueOptions.BackpressureDepth"/>. Past
    /// <see cref="TelemetryQueueOptions.MaxDepth"/>, or after <see cref="TelemetryQueueOptions.MaxBackpressureWait"/>, it
    /// refuses with <see cref="TelemetryRefusedException"/>: the device is not acknowledged and sends the message again.
    /// </summary>
    public async Task WaitForRoomAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(options.MaxBackpressureWait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            // Taken before the depth is read again, so that room freed in between is not missed.
            Task roomFreed;
            lock (_roomGate)
            {
                roomFreed = _roomFreed.Task;
            }

            var depth = Depth;
            if (depth < options.BackpressureDepth)
            {
                return;
            }

            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (depth >= options.MaxDepth || remaining <= TimeSpan.Zero)
            {
                Interlocked.Increment(ref _refused);
                var limit = depth >= options.MaxDepth ? options.MaxDepth : options.BackpressureDepth;
                throw new TelemetryRefusedException(
                    $"The telemetry queue holds {depth:N0} undelivered messages (limit {limit:N0}); nothing more is acknowledged until the machines catch up.");
            }

            try
            {
                await roomFreed.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                // Judged again at the top of the loop.
            }
        }
    }

    /// <summary>Removes delivered messages of a partition; completes once the removal is durable.</summary>
    public abstract Task DeleteAsync(int partition, IReadOnlyCollection<long> ids);

    /// <summary>A reader of one partition, for one pulling agent (not shared).</summary>
    public abstract ITelemetryQueueReader OpenReader(int partition);

    /// <summary>How the queue stands, for the admin page, <c>/health</c> and metrics.</summary>
    public async Task<TelemetryQueueStatus> StatusAsync()
    {
        DateTimeOffset? oldest = null;
        try
        {
            oldest = await OldestEnqueuedAtAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The status must show a broken queue, not fail because of it.
            RecordFailure(exception);
        }

        var depth = Depth;
        return new TelemetryQueueStatus(
            depth, oldest, Refused, _lastFailure,
            depth >= options.MaxDepth, depth >= options.BackpressureDepth);
    }

    public abstract void Dispose();

    /// <summary>Writes the message durably; the base class has decided there is room.</summary>
    protected abstract Task InsertAsync(int partition, string streamNamespace, string streamKey, byte[] payload);

    protected abstract Task<DateTimeOffset?> OldestEnqueuedAtAsync();

    /// <summary>Wakes publishes waiting for room; call when the depth went down.</summary>
    protected void FreeRoom()
    {
        TaskCompletionSource freed;
        lock (_roomGate)
        {
            freed = _roomFreed;
            _roomFreed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        freed.TrySetResult();
    }

    protected void RecordFailure(Exception exception) => _lastFailure = new QueueFailure(time.GetUtcNow(), exception.Message);

    protected void ClearFailure() => _lastFailure = null;
}

/// <summary>The telemetry queue's alarm, as the gauge <c>mes.telemetry.queue.alarm</c> reports it (the numbers are its values).</summary>
internal enum QueueAlarm
{
    /// <summary>Messages flow.</summary>
    None = 0,

    /// <summary>The backlog is past the backpressure depth: devices are acknowledged more slowly.</summary>
    Slowing = 1,

    /// <summary>The backlog is at its bound: nothing more is acknowledged.</summary>
    Full = 2,

    /// <summary>The last write to the queue failed (a full disk, the database down).</summary>
    Failing = 3,
}

/// <summary>Reads one partition in id order.</summary>
internal interface ITelemetryQueueReader : IDisposable
{
    /// <summary>Up to <paramref name="max"/> messages after <paramref name="afterId"/>; cheap when there are none.</summary>
    Task<IReadOnlyList<QueuedMessage>> ReadAsync(long afterId, int max);
}

/// <summary>One message as the queue holds it.</summary>
internal readonly record struct QueuedMessage(long Id, string StreamNamespace, string StreamKey, byte[] Payload);

/// <summary>A message was not put in the queue; its device was not acknowledged and sends it again.</summary>
public sealed class TelemetryRefusedException(string message) : Exception(message);
