using MesOrleans.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MesOrleans.History.Retention;

/// <summary>
/// Keeps history for <c>Mes:History:RetentionDays</c> (absent: forever). Once a day it moves the cutoff to that many
/// days ago and deletes, in small transactions so that appends are never held up for long, the events before it that
/// no machine needs any more, and the rollups of whole days before it. Reports over a period before the cutoff answer
/// what is left.
/// </summary>
internal sealed partial class HistoryRetention(
    IOptions<MesOptions> options, TimeProvider time, ILogger<HistoryRetention> logger, IHistoryPruning pruning) : SiloBackgroundLoop
{
    private const int RowsPerTransaction = 5_000;
    private static readonly TimeSpan Every = TimeSpan.FromDays(1);

    /// <summary>Moves the cutoff and deletes what is before it; with no retention set, removes the cutoff.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
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

    protected override async Task PassAsync(CancellationToken stopping)
    {
        await PruneAsync(stopping);
        await Task.Delay(Every, time, stopping);
    }

    protected override async Task FailedAsync(Exception error, CancellationToken stopping)
    {
        // What was not deleted today is deleted tomorrow.
        LogPruneFailed(error);
        await Task.Delay(Every, time, stopping);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "History before {Cutoff:O} pruned: {Events} events and {Rollups} rollup rows deleted")]
    private partial void LogPruned(DateTimeOffset cutoff, long events, long rollups);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning history failed; trying again tomorrow")]
    private partial void LogPruneFailed(Exception error);
}
