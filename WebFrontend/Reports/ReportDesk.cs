using MesOrleans.Maintenance;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.Shifts;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;

namespace MesOrleans.WebFrontend.Reports;

/// <summary>The windows the reports page offers, in the site's time zone; whole days end at the start of today.</summary>
public enum ReportPreset
{
    Yesterday,
    Last7Days,
    Last4Weeks,
    ThisMonth,
    Custom,
}

/// <summary>A line of a site with its machines (id and name), for the reports page's filters.</summary>
public sealed record ReportLine(string Id, string Name, IReadOnlyList<(string Id, string Name)> Machines);

/// <summary>A site as the reports page needs it: its lines and machines, its shifts' names, its time zone and today.</summary>
public sealed record ReportSite(string Id, string Name, ShiftCalendar Calendar, IReadOnlyList<ReportLine> Lines, IReadOnlyList<string> Shifts, DateOnly Today)
{
    public TimeZoneInfo Zone => Calendar.TimeZone;

    /// <summary>The window of a preset; a custom window runs from the start of its first day to the end of its last.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Window(ReportPreset preset, DateOnly customFrom, DateOnly customTo) => preset switch
    {
        ReportPreset.Yesterday => Days(Today.AddDays(-1), Today),
        ReportPreset.Last7Days => Days(Today.AddDays(-7), Today),
        ReportPreset.Last4Weeks => Days(Today.AddDays(-28), Today),
        ReportPreset.ThisMonth => Days(new DateOnly(Today.Year, Today.Month, 1), Today.AddDays(1)),
        _ => Days(customFrom, (customTo < customFrom ? customFrom : customTo).AddDays(1)),
    };

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    private (DateTimeOffset, DateTimeOffset) Days(DateOnly first, DateOnly end) => (Calendar.Day(first).Start, Calendar.Day(end).Start);
}

/// <summary>Breakdowns, MTTR and MTBF of one period, from the maintenance board's tickets and the rollups' run time.</summary>
public sealed record MaintenancePeriod(ReportSpan Span, int Breakdowns, int Resolved, TimeSpan? MeanTimeToRepair, TimeSpan? MeanTimeBetweenFailures, TimeSpan RunTime);

/// <summary>The reports page's services: the sites a user may report on, the report itself, and maintenance trends.</summary>
public sealed class ReportDesk(PeriodReports reports, PlantCatalog catalog, IGrainFactory grains, CircuitCommands commands, TimeProvider time)
{
    /// <summary>The sites the signed-in user may read reports of.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> SitesAsync()
    {
        var access = await commands.AccessAsync();
        return (await catalog.GetCurrentAsync()).Model.Sites.Where(s => access.May(MesPolicies.Reports, s.Id)).Select(s => (s.Id, s.Name)).ToList();
    }

    /// <summary>The site, or null when the plant has no such site.</summary>
    public async Task<ReportSite?> OpenAsync(string site)
    {
        var plant = await catalog.GetCurrentAsync();
        if (plant.Site(site) is not { } model)
        {
            return null;
        }

        var calendar = plant.CalendarOf(site);
        var shifts = model.Shifts.Select(s => s.Name).Concat((model.CalendarExceptions ?? []).Where(e => e.Kind == CalendarExceptionModel.ShiftKind).Select(e => e.Name));
        return new ReportSite(
            site,
            model.Name,
            calendar,
            model.Lines.Select(l => new ReportLine(l.Id, l.Name, l.Machines.Select(m => (m.Id, m.Name)).ToList())).ToList(),
            shifts.Distinct().ToList(),
            calendar.LocalDate(time.GetUtcNow()));
    }

    public Task<PeriodReport> ReadAsync(ReportQuery query) => reports.ReadAsync(query);

    /// <summary>
    /// Breakdowns, MTTR and MTBF per day or week (shifts are too short for them) of the report's scope: tickets opened in
    /// each period, run time from the report. The board keeps closed tickets for a bounded time; older periods say less.
    /// </summary>
    public async Task<IReadOnlyList<MaintenancePeriod>> MaintenanceAsync(PeriodReport report, ReportPeriod period, string? line, string? machine)
    {
        var spans = report.Production(period == ReportPeriod.Shift ? ReportPeriod.Day : period);
        var board = grains.GetGrain<IMaintenanceBoardGrain>(report.Cells.Request.Scope.Site);
        var rows = new List<MaintenancePeriod>(spans.Count);
        foreach (var span in spans)
        {
            var kpis = await board.GetKpisAsync(span.Span.From, span.Span.To);
            var scope = machine is not null
                ? kpis.Machines.Where(k => k.Scope == $"{report.Cells.Request.Scope.Site}/{machine}")
                : line is not null ? kpis.Machines.Where(k => k.Scope.StartsWith($"{report.Cells.Request.Scope.Site}/{line}/", StringComparison.Ordinal)) : [kpis.Site];
            var parts = scope.ToList();
            var breakdowns = parts.Sum(k => k.Breakdowns);
            var resolved = parts.Sum(k => k.Resolved);
            var repair = resolved == 0 ? (TimeSpan?)null : TimeSpan.FromTicks(parts.Where(k => k.MeanTimeToRepair is not null).Sum(k => k.MeanTimeToRepair!.Value.Ticks * k.Resolved) / resolved);
            var betweenFailures = breakdowns > 0 && span.RunTime >= MaintenanceKpi.MinimumRunTimeForMtbf ? span.RunTime / breakdowns : (TimeSpan?)null;
            rows.Add(new MaintenancePeriod(span.Span, breakdowns, resolved, repair, betweenFailures, span.RunTime));
        }

        return rows;
    }
}
