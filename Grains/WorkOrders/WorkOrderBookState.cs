namespace MesOrleans.WorkOrders;

/// <summary>The book's live part, written on every change: the orders not yet completed, and the last rank handed out.</summary>
public sealed class WorkOrderBookState
{
    public Dictionary<string, WorkOrderEntry> Open { get; set; } = [];

    public long LastRank { get; set; }
}

/// <summary>
/// Completed and closed orders, written when an order completes or closes, kept for <see cref="WorkOrderArchiveState.Retention"/>
/// (at most <see cref="WorkOrderArchiveState.MaxOrders"/>) for exports, lists and quality figures.
/// </summary>
public sealed class WorkOrderArchiveState
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    public const int MaxOrders = 20_000;

    public List<WorkOrderEntry> Done { get; set; } = [];
}
