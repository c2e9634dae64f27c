using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MesOrleans.Machines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MesOrleans.History;

/// <summary>
/// The group commit of the machines' event log, whatever database holds it: one loop writes whatever machines
/// appended while the previous transaction ran, in one transaction, and completes each append once it is durable.
/// A crash therefore loses no append that completed, and an append that did not complete left nothing behind.
/// Its metrics (meter <see cref="MeterName"/>): how long commits take, how many events each carries, how many
/// appends wait, and how many commits failed.
/// </summary>
internal abstract partial class EventLogWriter : IHostedService
{
    public const string MeterName = "MesOrleans.History";

    // Bounds one transaction, so that a burst does not hold the writer for long.
    private const int MaxEventsPerCommit = 5_000;

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly ILogger _logger;
    private readonly Histogram<double>? _commitDuration;
    private readonly Histogram<int>? _commitSize;
    private readonly Counter<long>? _commitFailures;
    private Task? _writeLoop;

    // Appends written to the channel and not yet taken by the write loop (a single-reader channel cannot count).
    private long _pending;

    /// <param name="meters">Where its metrics go; none without (unit tests of a store).</param>
    protected EventLogWriter(ILogger logger, IMeterFactory? meters)
    {
        _logger = logger;
        if (meters?.Create(MeterName) is not { } meter)
        {
            return;
        }

        _commitDuration = meter.CreateHistogram(
            "mes.history.commit.duration", "s", "Time one group commit of the event log took",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _commitSize = meter.CreateHistogram(
            "mes.history.commit.size", "{event}", "Events written by one group commit of the event log",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] });
        _commitFailures = meter.CreateCounter<long>("mes.history.commit.failures", "{commit}", "Group commits of the event log that failed");
        meter.CreateObservableGauge(
            "mes.history.pending", () => Interlocked.Read(ref _pending), "{append}", "Machine appends waiting for the event log's next commit");
    }

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

        // Counted before it is written, so that the write loop never takes it before it is counted.
        var pending = new PendingAppend(append);
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(pending))
        {
            return pending.Done.Task;
        }

        Interlocked.Decrement(ref _pending);
        return Task.FromException(new InvalidOperationException($"The event log has stopped; {append.MachineId} cannot append."));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writeLoop ??= Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    // Grains are gone when the silo stops its storage, so nothing appends any more; what is queued is written first.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writeLoop is not null)
        {
            await _writeLoop.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Writes the batch in one transaction. An append whose numbers are taken by other events is written with none of
    /// its rows and marked with <see cref="PendingAppend.Conflict"/>; the others are written.
    /// </summary>
    protected abstract Task WriteAsync(IReadOnlyList<PendingAppend> batch);

    /// <summary>The events of the appends that were written (not refused as stale), by machine, in order.</summary>
    protected static Dictionary<string, IReadOnlyList<MachineEvent>> Appended(IEnumerable<PendingAppend> batch) =>
        batch.Where(p => p.Conflict is null)
            .GroupBy(p => p.Append.MachineId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<MachineEvent>)g.SelectMany(p => p.Append.Events).OrderBy(e => e.Sequence).ToList());

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            var events = 0;
            while (events < MaxEventsPerCommit && _queue.Reader.TryRead(out var pending))
            {
                Interlocked.Decrement(ref _pending);
                batch.Add(pending);
                events += pending.Append.Events.Count;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await WriteAsync(batch);
                _commitDuration?.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                _commitSize?.Record(events);
                foreach (var pending in batch)
                {
                    pending.Complete();
                }
            }
            catch (Exception exception)
            {
                // Nothing of this transaction was written: every append in it fails, and its grain starts over from the log.
                _commitFailures?.Add(1);
                LogWriteFailed(exception, batch.Count, events);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(exception);
                }
            }

            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {Appends} appends ({Events} events) to the event log failed; their grains start over from the log")]
    private partial void LogWriteFailed(Exception exception, int appends, int events);

    /// <summary>One machine's append waiting for its commit.</summary>
    protected sealed class PendingAppend(MachineAppend append)
    {
        public MachineAppend Append { get; } = append;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when the append was left out because its numbers were taken.</summary>
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
