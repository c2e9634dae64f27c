using MesOrleans.Maintenance;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>Maintenance KPIs as the REST API shows them: times in seconds, null where nothing was there to average.</summary>
public sealed record MaintenanceKpisResponse(
    DateTimeOffset From,
    DateTimeOffset To,
    MaintenanceKpiResponse Site,
    IReadOnlyList<MaintenanceKpiResponse> Machines,
    DateTimeOffset? IncompleteBefore)
{
    public static MaintenanceKpisResponse Of(MaintenanceKpis k) =>
        new(k.From, k.To, MaintenanceKpiResponse.Of(k.Site), k.Machines.Select(MaintenanceKpiResponse.Of).ToList(), k.IncompleteBefore);
}

/// <summary>One machine's (or the site's) maintenance KPIs; see <see cref="MaintenanceKpi"/> for the definitions.</summary>
public sealed record MaintenanceKpiResponse(
    string Scope,
    int Tickets,
    int Breakdowns,
    int Acknowledged,
    int Resolved,
    double? MeanTimeToRepairSeconds,
    double? MeanTimeBetweenFailuresSeconds,
    double? MeanResponseTimeSeconds,
    double RunTimeSeconds)
{
    public static MaintenanceKpiResponse Of(MaintenanceKpi k) => new(
        k.Scope, k.Tickets, k.Breakdowns, k.Acknowledged, k.Resolved,
        k.MeanTimeToRepair?.TotalSeconds, k.MeanTimeBetweenFailures?.TotalSeconds, k.MeanResponseTime?.TotalSeconds,
        k.RunTime.TotalSeconds);
}
