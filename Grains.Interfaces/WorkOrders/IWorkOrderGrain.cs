namespace MesOrleans.WorkOrders;

/// <summary>
/// A work order's production, keyed by its order number: where it runs, and what its line's counting machine counted
/// for it. Its good and scrap are the sum of the counting machine's counts tagged with the order (telemetry and by
/// hand), read from the event log after the last one it took, so they accrue exactly once across pauses, restarts and
/// crashes. Parts made while a required first-article inspection has not passed are held, not good, until it passes.
/// The order's plan and status belong to its site's <see cref="IWorkOrderBookGrain"/>, which alone calls this grain.
/// </summary>
[Alias("mes.IWorkOrderGrain")]
public interface IWorkOrderGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts (or resumes) the order on its line: the line's machines record it, and its counting machine's counts
    /// accrue to it. Conflict when the line runs another order. Doing it again changes nothing.
    /// </summary>
    [Alias("Run")]
    Task<WorkOrderProgress> RunAsync(WorkOrderRun run);

    /// <summary>Takes the order off its line (pause or complete); its counts are taken up to now. Doing it again changes nothing.</summary>
    [Alias("Leave")]
    Task<WorkOrderProgress> LeaveLineAsync();

    /// <summary>The order's production, with every count recorded so far.</summary>
    [Alias("GetProgress")]
    Task<WorkOrderProgress> GetProgressAsync();

    /// <summary>
    /// The result of a first-article inspection: a pass opens the quality gate and releases the held parts as good; a
    /// failure keeps (or puts) it closed.
    /// </summary>
    [Alias("RecordFirstArticle")]
    Task<WorkOrderProgress> RecordFirstArticleAsync(bool passed, DateTimeOffset at);

    /// <summary>Adds production reported by hand (<c>POST …/production</c>), on top of what the counting machine counts.</summary>
    [Alias("AddProduction")]
    Task<WorkOrderProgress> AddProductionAsync(long good, long scrap);

    /// <summary>
    /// The order this grain held before orders were planned in site books (the first release of work orders kept each
    /// order here), or null; the book adopts it once.
    /// </summary>
    [Alias("TakeLegacy")]
    Task<WorkOrderEntry?> TakeLegacyAsync();
}
