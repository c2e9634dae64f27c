namespace MesOrleans.Maintenance;

/// <summary>
/// Maintenance KPIs of one machine (or of the whole site) over the tickets opened in a period.
/// <list type="bullet">
/// <item>MTTR: the mean time from the machine's stop (a breakdown ticket) or the ticket's opening (a ticket opened
/// by hand) to its resolution, over the resolved tickets.</item>
/// <item>MTBF: the period's calendar time (up to now) divided by the number of breakdown tickets. Calendar time, not
/// run time: the board does not know when machines ran, and a plant that needs MTBF on operating time reads the
/// history store. Null when there was no breakdown.</item>
/// <item>Mean response time: the mean time from opening to acknowledgement, over the acknowledged tickets.</item>
/// </list>
/// A mean is null when nothing was there to average.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.MaintenanceKpi")]
public sealed record MaintenanceKpi(
    [property: Id(0)] string Scope,
    [property: Id(1)] int Tickets,
    [property: Id(2)] int Breakdowns,
    [property: Id(3)] int Acknowledged,
    [property: Id(4)] int Resolved,
    [property: Id(5)] TimeSpan? MeanTimeToRepair,
    [property: Id(6)] TimeSpan? MeanTimeBetweenFailures,
    [property: Id(7)] TimeSpan? MeanResponseTime);

/// <summary>
/// The maintenance KPIs of a site over [<see cref="From"/>, <see cref="To"/>): one row per machine that had tickets
/// (<see cref="MaintenanceKpi.Scope"/> is the machine path) and one for the site (scope: the site id).
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.MaintenanceKpis")]
public sealed record MaintenanceKpis(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] MaintenanceKpi Site,
    [property: Id(3)] IReadOnlyList<MaintenanceKpi> Machines)
{
    /// <summary>
    /// Set when the period reaches back to tickets the board no longer keeps (closed tickets are kept for a bounded
    /// time): tickets opened before this instant may be missing from the figures.
    /// </summary>
    [Id(4)] public DateTimeOffset? IncompleteBefore { get; init; }
}
