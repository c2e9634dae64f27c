using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;

namespace MesOrleans.Reports;

/// <summary>How a report's rows are cut: each shift occurrence, local calendar days, or ISO weeks of the site.</summary>
public enum ReportPeriod
{
    Shift,
    Day,
    Week,
}

/// <summary>How downtime is added up: by reason, by the reasons' category, or by machine.</summary>
public enum DowntimeGrouping
{
    Reason,
    Category,
    Machine,
}

/// <summary>
/// What a report covers: a site, optionally one of its lines or one machine (<c>line/machine</c>), over [From, To),
/// optionally only one shift (by name) or one product.
/// </summary>
public sealed record ReportQuery(string Site, DateTimeOffset From, DateTimeOffset To)
{
    public string? Line { get; init; }

    /// <summary>A machine as <c>line/machine</c>.</summary>
    public string? Machine { get; init; }

    public string? Shift { get; init; }

    public string? Product { get; init; }
}

/// <summary>
/// Reports over months of history, read from rollups: one read of a scope's cells gives every table and chart of a
/// period report (<see cref="PeriodReport"/>), so that a year of a site answers in a few queries.
/// </summary>
public sealed class PeriodReports(IRollupReader rollups, PlantCatalog catalog, TimeProvider time)
{
    /// <summary>
    /// The report of a site, line or machine. Unknown equipment or shift throws NotFound; a window that is empty throws
    /// Invalid. <paramref name="byMachine"/> keeps machines apart (for downtime by machine).
    /// </summary>
    public async Task<PeriodReport> ReadAsync(ReportQuery query, bool byMachine = false, CancellationToken cancellationToken = default)
    {
        if (query.To <= query.From)
        {
            throw MesCommandException.Invalid("The window must end after it starts.", [new ValidationProblem("to", "must be after 'from'.")]);
        }

        var plant = await catalog.GetCurrentAsync();
        var scope = Scope(plant, query) ?? Scope(plant = await catalog.RefreshAsync(), query)
            ?? throw MesCommandException.NotFound($"'{query.Site}/{query.Line ?? query.Machine}' is not in the plant model.");
        if (query.Shift is { } shift && !plant.Site(query.Site)!.Shifts.Any(s => s.Name == shift)
            && !(plant.Site(query.Site)!.CalendarExceptions ?? []).Any(e => e.Name == shift))
        {
            throw MesCommandException.NotFound($"Site '{query.Site}' has no shift '{shift}'.");
        }

        var request = new ReportRequest(scope, query.From, query.To) { Shift = query.Shift, Product = query.Product, ByMachine = byMachine };
        var cells = await ReportCells.ReadAsync(rollups, plant, request, time.GetUtcNow(), cancellationToken);
        return new PeriodReport(plant, cells);
    }

    private static EquipmentPath? Scope(PlantView plant, ReportQuery query)
    {
        if (plant.Site(query.Site) is null)
        {
            return null;
        }

        if (query.Machine is { } machine)
        {
            return EquipmentPath.TryParse($"{query.Site}/{machine}", out var path) && path.IsMachine && plant.Machine(path) is not null
                && (query.Line is null || path.Line == query.Line) ? path : null;
        }

        if (query.Line is { } line)
        {
            return EquipmentPath.TryParse($"{query.Site}/{line}", out var path) && path.IsLine && plant.Line(path) is not null ? path : null;
        }

        return EquipmentPath.ForSite(query.Site);
    }
}
