namespace MesOrleans.WorkOrders;

/// <summary>Where a work order is in its life: planned → released → running ⇄ paused → completed → closed.</summary>
public enum WorkOrderStatus
{
    /// <summary>Created, not yet on the shop floor; its plan may change.</summary>
    Planned,

    /// <summary>Released to its line's queue; its plan may still change.</summary>
    Released,

    /// <summary>Being produced; its line's active order, counting.</summary>
    Running,

    /// <summary>Finished: off the line; late counts of its time still accrue.</summary>
    Completed,

    /// <summary>Started, then taken off the line for now; it keeps its counts and its place in the queue.</summary>
    Paused,

    /// <summary>Completed and booked: the end of its life.</summary>
    Closed,
}

/// <summary>Where a work order's quality gate stands: parts count as good only once a required first article passed.</summary>
public enum FirstArticleGate
{
    /// <summary>The part's inspection plan does not require a first article.</summary>
    NotRequired,

    /// <summary>Required and not inspected yet: parts are held.</summary>
    Pending,

    /// <summary>The last first-article inspection failed: parts are held.</summary>
    Failed,

    /// <summary>Passed: parts count as good.</summary>
    Passed,
}
