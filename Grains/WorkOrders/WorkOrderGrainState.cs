namespace MesOrleans.WorkOrders;

/// <summary>
/// A work order's production: where it runs and counts, and what it has counted up to event
/// <see cref="CountedThrough"/> of its counting machine. The counts and that number are written together, so that
/// after a crash the order reads on from exactly where its saved counts end. Stored as JSON: add properties freely,
/// never rename them.
/// </summary>
public sealed class WorkOrderGrainState
{
    /// <summary>The order as the first release of work orders kept it here (plan, status, counts), before site books.</summary>
    public LegacyWorkOrder? Order { get; set; }

    /// <summary>The legacy order's counts and line have been taken over into this state.</summary>
    public bool LegacyTaken { get; set; }

    public string? LineId { get; set; }

    public string? PartNumber { get; set; }

    /// <summary>The machine the order counts at: its line's counting machine when it first started.</summary>
    public string? CountingMachine { get; set; }

    /// <summary>The order is its line's active order now.</summary>
    public bool OnLine { get; set; }

    /// <summary>The number of the counting machine's last event the counts include.</summary>
    public long CountedThrough { get; set; }

    public long Good { get; set; }

    public long Scrap { get; set; }

    /// <summary>Good parts made while the quality gate was closed: not good until a first article passes.</summary>
    public long Held { get; set; }

    public Dictionary<string, long> ScrapByReason { get; set; } = [];

    public FirstArticleGate Gate { get; set; }

    /// <summary>The last first-article result (also one given before the order first started), or null.</summary>
    public bool? FirstArticlePassed { get; set; }
}

/// <summary>A work order as the first release kept it in its own grain (the shape of that release's WorkOrderView).</summary>
public sealed class LegacyWorkOrder
{
    public string OrderNumber { get; set; } = "";

    public string Product { get; set; } = "";

    public long TargetQuantity { get; set; }

    public string LineId { get; set; } = "";

    public WorkOrderStatus Status { get; set; }

    public long Good { get; set; }

    public long Scrap { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
