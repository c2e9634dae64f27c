namespace MesOrleans.WorkOrders;

/// <summary>Where a work order is in its life: planned → released → running → completed.</summary>
public enum WorkOrderStatus
{
    /// <summary>Created, not yet on the shop floor.</summary>
    Planned,

    /// <summary>Released to its line.</summary>
    Released,

    /// <summary>Being produced; the line's active order.</summary>
    Running,

    /// <summary>Finished.</summary>
    Completed,
}

/// <summary>What to make, how many, where.</summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderSpec")]
public sealed record WorkOrderSpec(
    [property: Id(0)] string Product,
    [property: Id(1)] long TargetQuantity,
    [property: Id(2)] string LineId);

/// <summary>A work order's view.</summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderView")]
public sealed record WorkOrderView(
    [property: Id(0)] string OrderNumber,
    [property: Id(1)] string Product,
    [property: Id(2)] long TargetQuantity,
    [property: Id(3)] string LineId,
    [property: Id(4)] WorkOrderStatus Status,
    [property: Id(5)] long Good,
    [property: Id(6)] long Scrap,
    [property: Id(7)] DateTimeOffset? StartedAt,
    [property: Id(8)] DateTimeOffset? CompletedAt)
{
    /// <summary>Parts made: good plus scrap.</summary>
    public long Produced => Good + Scrap;
}

/// <summary>A work order, keyed by its order number. Commands out of life-cycle order throw Conflict.</summary>
[Alias("mes.IWorkOrderGrain")]
public interface IWorkOrderGrain : IGrainWithStringKey
{
    /// <summary>Creates the order (Conflict if it exists).</summary>
    [Alias("Create")]
    Task<WorkOrderView> CreateAsync(WorkOrderSpec spec);

    /// <summary>The order (NotFound if it was never created).</summary>
    [Alias("Get")]
    Task<WorkOrderView> GetAsync();

    /// <summary>planned → released.</summary>
    [Alias("Release")]
    Task<WorkOrderView> ReleaseAsync();

    /// <summary>released → running; becomes its line's active order.</summary>
    [Alias("Start")]
    Task<WorkOrderView> StartAsync();

    /// <summary>Adds production to a running order.</summary>
    [Alias("RecordProduction")]
    Task<WorkOrderView> RecordProductionAsync(long good, long scrap);

    /// <summary>running → completed; the line has no active order any more.</summary>
    [Alias("Complete")]
    Task<WorkOrderView> CompleteAsync();
}
