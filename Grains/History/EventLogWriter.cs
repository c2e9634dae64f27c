using System.Threading.Channels;
using MesOrleans.Machines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MesOrleans.History;

/// <summary>
/// The group commit of the machines' event log, whatever database holds it: one loop writes whatever machines
/// appended while the previous transaction ran, in one transaction, and completes each append once it is durable.
/// A crash therefore loses no append that completed, and an append that did not complete left nothing behind.
/// </summary>
internal abstract partial class EventLogWriter(ILogger logger) : IHostedService
{
    // Bounds one transaction, so that a burst does not hold the writer for long.
    private const int MaxEventsPerCommit = 5_000;

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
                batch.Add(pending);
                events += pending.Append.Events.Count;
            }

            try
            {
                await WriteAsync(batch);
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
