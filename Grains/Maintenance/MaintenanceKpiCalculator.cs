namespace MesOrleans.Maintenance;

/// <summary>The maintenance KPIs of <see cref="MaintenanceKpi"/>, computed from tickets; pure, so it is tested by hand.</summary>
internal static class MaintenanceKpiCalculator
{
    /// <summary>
    /// KPIs over the tickets opened in [<paramref name="from"/>, <paramref name="to"/>). MTBF needs the machines' run
    /// time, which the tickets do not tell: it stays null until <see cref="MaintenanceKpis.WithRunTimes"/> adds it.
    /// </summary>
    public static MaintenanceKpis Calculate(string siteId, IEnumerable<MaintenanceTicket> tickets, DateTimeOffset from, DateTimeOffset to)
    {
        var inPeriod = tickets.Where(t => t.OpenedAt >= from && t.OpenedAt < to).ToList();
        var machines = inPeriod
            .GroupBy(t => t.MachineId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Kpi(g.Key, g.ToList()))
            .ToList();
        return new MaintenanceKpis(from, to, Kpi(siteId, inPeriod), machines);
    }

    private static MaintenanceKpi Kpi(string scope, IReadOnlyList<MaintenanceTicket> tickets)
    {
        var breakdowns = tickets.Count(t => t.Origin == TicketOrigin.Breakdown);
        var repairs = tickets.Where(t => t.ResolvedAt is not null).Select(t => t.ResolvedAt!.Value - t.RepairClockStart).ToList();
        var responses = tickets.Where(t => t.AcknowledgedAt is not null).Select(t => t.AcknowledgedAt!.Value - t.OpenedAt).ToList();
        return new MaintenanceKpi(
            scope,
            tickets.Count,
            breakdowns,
            responses.Count,
            repairs.Count,
            Mean(repairs),
            MeanTimeBetweenFailures: null,
            Mean(responses));
    }

    private static TimeSpan? Mean(List<TimeSpan> spans) =>
        spans.Count == 0 ? null : TimeSpan.FromTicks(spans.Sum(s => s.Ticks) / spans.Count);
}
