using System.Text.Json.Serialization;

namespace MesOrleans.WorkOrders;

/// <summary>
/// What to make, how many, where and by when: a work order's plan, as a planner or the ERP gives it.
/// <see cref="PartNumber"/> names a product of the plant model (the REST API calls it <c>product</c>);
/// <see cref="LineId"/> is <c>site/line</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderPlan")]
public sealed record WorkOrderPlan(
    [property: Id(0)] string OrderNumber,
    [property: Id(1)] string PartNumber,
    [property: Id(2)] long Quantity,
    [property: Id(3)] string LineId,
    [property: Id(4)] DateTimeOffset? Due = null,
    [property: Id(5)] string? Lot = null);

/// <summary>
/// A work order in its site's book: its plan, status, place in its line's queue (<see cref="Rank"/>, lower first) and
/// the times of its steps. <see cref="Good"/> and <see cref="Scrap"/> are its counts as of its last step; the order's
/// own grain has them live.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderEntry")]
public sealed record WorkOrderEntry(
    [property: Id(0)] WorkOrderPlan Plan,
    [property: Id(1)] WorkOrderStatus Status,
    [property: Id(2)] long Rank,
    [property: Id(3)] DateTimeOffset CreatedAt)
{
    /// <summary>When it was released.</summary>
    [Id(4)] public DateTimeOffset? ReleasedAt { get; init; }

    /// <summary>When it first started.</summary>
    [Id(5)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it was completed.</summary>
    [Id(6)] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When it was closed.</summary>
    [Id(7)] public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Good parts as of its last step.</summary>
    [Id(8)] public long Good { get; init; }

    /// <summary>Scrap as of its last step.</summary>
    [Id(9)] public long Scrap { get; init; }

    /// <summary>The order number.</summary>
    [JsonIgnore]
    public string OrderNumber => Plan.OrderNumber;

    /// <summary>True while the order has not started: its plan may change and an import may update it.</summary>
    [JsonIgnore]
    public bool IsOpenForPlanning => Status is WorkOrderStatus.Planned or WorkOrderStatus.Released;

    /// <summary>True while the order is in its line's queue: not completed or closed.</summary>
    [JsonIgnore]
    public bool IsQueued => Status is not (WorkOrderStatus.Completed or WorkOrderStatus.Closed);
}

/// <summary>What a work order needs to run on its line.</summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderRun")]
public sealed record WorkOrderRun(
    [property: Id(0)] string PartNumber,
    [property: Id(1)] string LineId,
    [property: Id(2)] bool FirstArticleRequired);

/// <summary>
/// A work order's production: good parts (released by the quality gate), scrap, parts held by the gate, scrap by
/// reason (<c>""</c>: the machine counted it without one), the machine it counts at, and whether it is on its line now.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderProgress")]
public sealed record WorkOrderProgress(
    [property: Id(0)] long Good,
    [property: Id(1)] long Scrap,
    [property: Id(2)] long Held,
    [property: Id(3)] FirstArticleGate Gate,
    [property: Id(4)] IReadOnlyDictionary<string, long> ScrapByReason,
    [property: Id(5)] string? CountingMachine,
    [property: Id(6)] bool OnLine)
{
    /// <summary>Nothing made yet, not on a line.</summary>
    public static WorkOrderProgress None { get; } = new(0, 0, 0, FirstArticleGate.NotRequired, new Dictionary<string, long>(), null, false);

    /// <summary>Parts made: good, held and scrap.</summary>
    [JsonIgnore]
    public long Produced => Good + Held + Scrap;
}

/// <summary>One row of an import (its 1-based line in the file, the header being line 1) and the plan it gives.</summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderImportRow")]
public sealed record WorkOrderImportRow(
    [property: Id(0)] int Line,
    [property: Id(1)] WorkOrderPlan Plan);

/// <summary>A problem with one row of an import: its line in the file, the column, and what is wrong.</summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderRowError")]
public sealed record WorkOrderRowError(
    [property: Id(0)] int Line,
    [property: Id(1)] string Column,
    [property: Id(2)] string Message);

/// <summary>
/// What an import did (or, in a dry run, would do): orders created, updated and left unchanged; or, when any row has a
/// problem, every problem and nothing done.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderImportOutcome")]
public sealed record WorkOrderImportOutcome(
    [property: Id(0)] int Created,
    [property: Id(1)] int Updated,
    [property: Id(2)] int Unchanged,
    [property: Id(3)] IReadOnlyList<WorkOrderRowError> Errors)
{
    /// <summary>True when no row had a problem.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Something changed in a site's book of work orders (one order, or many at once: null): screens read it again.</summary>
[GenerateSerializer, Immutable, Alias("mes.WorkOrderChange")]
public sealed record WorkOrderChange(
    [property: Id(0)] string Site,
    [property: Id(1)] string? OrderNumber);
