namespace MesOrleans.WorkOrders;

/// <summary>
/// A site's book of work orders, keyed by site id: every order planned for the site's lines, its status and its place in
/// its line's queue. It alone changes an order's plan and status; starting, pausing and completing go through it to the
/// order's own grain (<see cref="IWorkOrderGrain"/>), which counts. Order numbers are unique across sites
/// (<see cref="IWorkOrderDirectoryGrain"/>). Refused commands throw <see cref="Errors.MesCommandException"/> and change
/// nothing.
/// </summary>
[Alias("mes.IWorkOrderBookGrain")]
public interface IWorkOrderBookGrain : IGrainWithStringKey
{
    /// <summary>Plans a new order (status planned, last in its line's queue). Conflict when the number exists.</summary>
    [Alias("Create")]
    Task<WorkOrderEntry> CreateAsync(WorkOrderPlan plan);

    /// <summary>
    /// Plans every row or none: new orders are created, orders still planned or released take the row's plan, and
    /// rows equal to their order change nothing. A row for an order that started, or with a bad value, is an error;
    /// with any error nothing changes. <paramref name="dryRun"/> answers the same without changing anything.
    /// </summary>
    [Alias("Import")]
    Task<WorkOrderImportOutcome> ImportAsync(IReadOnlyList<WorkOrderImportRow> rows, bool dryRun);

    /// <summary>The order, or null when the book has none of that number.</summary>
    [Alias("Find")]
    Task<WorkOrderEntry?> FindAsync(string orderNumber);

    /// <summary>The book's orders, of one line and one status when given, by line and queue position.</summary>
    [Alias("List")]
    Task<IReadOnlyList<WorkOrderEntry>> ListAsync(string? lineId, WorkOrderStatus? status);

    /// <summary>Orders completed in [from, to), oldest first.</summary>
    [Alias("Completed")]
    Task<IReadOnlyList<WorkOrderEntry>> CompletedAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>Each line's queue with planned start and end from the product's ideal rate and the shift calendar.</summary>
    [Alias("GetSchedule")]
    Task<SiteSchedule> GetScheduleAsync();

    /// <summary>planned → released.</summary>
    [Alias("Release")]
    Task<WorkOrderEntry> ReleaseAsync(string orderNumber);

    /// <summary>released → running: the order becomes its line's active order and counts.</summary>
    [Alias("Start")]
    Task<WorkOrderEntry> StartAsync(string orderNumber);

    /// <summary>running → paused: off the line, keeping its counts and its place in the queue.</summary>
    [Alias("Pause")]
    Task<WorkOrderEntry> PauseAsync(string orderNumber);

    /// <summary>paused → running.</summary>
    [Alias("Resume")]
    Task<WorkOrderEntry> ResumeAsync(string orderNumber);

    /// <summary>running or paused → completed: off the line.</summary>
    [Alias("Complete")]
    Task<WorkOrderEntry> CompleteAsync(string orderNumber);

    /// <summary>completed → closed.</summary>
    [Alias("Close")]
    Task<WorkOrderEntry> CloseAsync(string orderNumber);

    /// <summary>Starts the first released order of the line's queue; Conflict when the line runs one or none is released.</summary>
    [Alias("Dispatch")]
    Task<WorkOrderEntry> DispatchAsync(string lineId);

    /// <summary>Moves a queued order to <paramref name="position"/> (1 = first) of its line's queue; answers the queue.</summary>
    [Alias("Move")]
    Task<IReadOnlyList<WorkOrderEntry>> MoveAsync(string orderNumber, int position);

    /// <summary>Takes in an order its grain held before site books existed (see <see cref="IWorkOrderGrain.TakeLegacyAsync"/>).</summary>
    [Alias("Adopt")]
    Task<WorkOrderEntry> AdoptAsync(WorkOrderEntry entry);
}

/// <summary>
/// The plant's directory of order numbers, keyed <see cref="Key"/>: which site's book holds each, so that an order
/// number is unique across sites and an order is found by its number alone.
/// </summary>
[Alias("mes.IWorkOrderDirectoryGrain")]
public interface IWorkOrderDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The one directory's key.</summary>
    public const string Key = "plant";

    /// <summary>The site of each number the directory knows.</summary>
    [Alias("SitesOf")]
    Task<IReadOnlyDictionary<string, string>> SitesOfAsync(IReadOnlyList<string> orderNumbers);

    /// <summary>
    /// Claims the numbers for <paramref name="site"/>, all or none: answers the numbers another site holds (then nothing
    /// is claimed); numbers the site holds already stay its.
    /// </summary>
    [Alias("Claim")]
    Task<IReadOnlyDictionary<string, string>> ClaimAsync(string site, IReadOnlyList<string> orderNumbers);
}

/// <summary>A site's schedule: each line's queue, as planned now.</summary>
[GenerateSerializer, Immutable, Alias("mes.SiteSchedule")]
public sealed record SiteSchedule(
    [property: Id(0)] string Site,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] IReadOnlyList<LineSchedule> Lines);

/// <summary>A line's queue in order: the running order first, then paused, released and planned ones by rank.</summary>
[GenerateSerializer, Immutable, Alias("mes.LineSchedule")]
public sealed record LineSchedule(
    [property: Id(0)] string LineId,
    [property: Id(1)] string LineName,
    [property: Id(2)] IReadOnlyList<ScheduledOrder> Orders);

/// <summary>
/// An order on a line's timeline: when it is planned to start and end (null when the shift calendar has no time for it
/// within a year), the ideal cycle time that plan assumes, the order's progress, and whether it will miss (or has
/// missed) its due date.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.ScheduledOrder")]
public sealed record ScheduledOrder(
    [property: Id(0)] WorkOrderEntry Order,
    [property: Id(1)] WorkOrderProgress Progress,
    [property: Id(2)] TimeSpan IdealCycleTime,
    [property: Id(3)] DateTimeOffset? PlannedStart,
    [property: Id(4)] DateTimeOffset? PlannedEnd,
    [property: Id(5)] bool Late);
