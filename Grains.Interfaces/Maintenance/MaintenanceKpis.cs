namespace MesOrleans.Maintenance;

/// <summary>
/// Maintenance KPIs of one machine (or of the whole site) over the tickets opened in a period.
/// <list type="bullet">
/// <item>MTTR: the mean time from the machine's stop (a breakdown ticket) or the ticket's opening (a ticket opened
/// by hand) to its resolution, over the resolved tickets.</item>
/// <item>MTBF: the machines' run time in the period (up to now; for the site, summed over its machines) divided by the
/// number of breakdown tickets. Null when there was no breakdown, and when <see cref="RunTime"/> is shorter than
/// <see cref="MinimumRunTimeForMtbf"/> (not enough data: a plant a few minutes old has no meaningful MTBF). The board
/// knows tickets, not when machines ran: it answers without run time, and <see cref="MaintenanceKpis.WithRunTimes"/>
/// adds the run time read from the history store.</item>
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
    [property: Id(7)] TimeSpan? MeanResponseTime,
    [property: Id(8)] TimeSpan RunTime = default)
{
    /// <summary>Run time below which MTBF is not given: one shift.</summary>
    public static readonly TimeSpan MinimumRunTimeForMtbf = TimeSpan.FromHours(8);

    /// <summary>True when MTBF is missing for lack of run time rather than for lack of breakdowns.</summary>
    public bool NotEnoughRunTime => RunTime < MinimumRunTimeForMtbf;

    /// <summary>These KPIs with the run time of the period, and the MTBF it gives.</summary>
    public MaintenanceKpi WithRunTime(TimeSpan runTime) => this with
    {
        RunTime = runTime,
        MeanTimeBetweenFailures = Breakdowns > 0 && runTime >= MinimumRunTimeForMtbf ? runTime / Breakdowns : null,
    };
}

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

    /// <summary>
    /// The KPIs with each machine's run time in the period (by machine path; a machine missing ran for no time the MES
    /// knows of) and the site's, their sum, so that MTBF is given where there is enough run time.
    /// </summary>
    public MaintenanceKpis WithRunTimes(IReadOnlyDictionary<string, TimeSpan> runTimes) => this with
    {
        Site = Site.WithRunTime(runTimes.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t)),
        Machines = Machines.Select(m => m.WithRunTime(runTimes.GetValueOrDefault(m.Scope))).ToList(),
    };
}
