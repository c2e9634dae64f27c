using MesOrleans.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace MesOrleans.History.Retention;

/// <summary>
/// Keeps history for <c>Mes:History:RetentionDays</c> (absent: forever). Once a day it moves the cutoff to that many
/// days ago and deletes, in small transactions so that appends are never held up for long, the events before it that
/// no machine needs any more, and the rollups of whole days before it. Reports over a period before the cutoff answer
/// what is left.
/// </summary>
internal sealed partial class HistoryRetention(
    IOptions<MesOptions> options, TimeProvider time, ILogger<HistoryRetention> logger, IHistoryPruning? pruning = null) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int RowsPerTransaction = 5_000;
    private static readonly TimeSpan Every = TimeSpan.FromDays(1);

    private CancellationTokenSource? _stopping;
    private Task? _loop;

    /// <summary>Moves the cutoff and deletes what is before it; with no retention set, removes the cutoff.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        if (pruning is null)
        {
            return;
        }

        if (options.Value.History.RetentionDays is not { } days)
        {
            await pruning.SetCutoffAsync(null, cancellationToken);
            return;
        }

        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(days);
        await pruning.SetCutoffAsync(cutoff, cancellationToken);
        var events = 0L;
        int deleted;
        while ((deleted = await pruning.DeleteEventsAsync(cutoff, RowsPerTransaction, cancellationToken)) > 0)
        {
            events += deleted;
        }

        var rollups = 0L;
        while ((deleted = await pruning.DeleteRollupsAsync(cutoff, RowsPerTransaction, cancellationToken)) > 0)
        {
            rollups += deleted;
        }

        LogPruned(cutoff, events, rollups);
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<HistoryRetention>(ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        if (pruning is null && options.Value.History.RetentionDays is not null)
        {
            LogNotApplied();
        }

        _stopping = new CancellationTokenSource();
        _loop = Task.Run(() => KeepAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task KeepAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PruneAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // What was not deleted today is deleted tomorrow.
                LogPruneFailed(error);
            }

            await Task.Delay(Every, time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "History before {Cutoff:O} pruned: {Events} events and {Rollups} rollup rows deleted")]
    private partial void LogPruned(DateTimeOffset cutoff, long events, long rollups);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mes:History:RetentionDays is set, but this storage does not delete history yet: it is kept")]
    private partial void LogNotApplied();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning history failed; trying again tomorrow")]
    private partial void LogPruneFailed(Exception error);
}
