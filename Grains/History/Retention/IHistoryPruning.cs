namespace MesOrleans.History.Retention;

/// <summary>The database side of retention: the cutoff the append-only trigger honours, and deleting what is before it.</summary>
internal interface IHistoryPruning
{
    /// <summary>
    /// Sets the cutoff before which events may be deleted; null removes it, so that nothing may be deleted (history
    /// kept forever).
    /// </summary>
    Task SetCutoffAsync(DateTimeOffset? cutoff, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="limit"/> events older than <paramref name="cutoff"/> in one transaction, and
    /// returns how many. Only events a machine no longer needs go: those its latest snapshot includes and its rollups
    /// have filed; and never its newest event, which numbers the next.
    /// </summary>
    Task<int> DeleteEventsAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes report pieces that ended before <paramref name="cutoff"/> and cells and layouts of local days wholly
    /// before it, at most <paramref name="limit"/> rows of each in one transaction; returns how many rows went.
    /// </summary>
    Task<int> DeleteRollupsAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);
}
