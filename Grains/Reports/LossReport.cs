using MesOrleans.Errors;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;

namespace MesOrleans.Reports;

/// <summary>What a line or site lost over a window, ranked for Pareto charts.</summary>
/// <param name="Downtime">Minutes of unplanned stops by reason.</param>
/// <param name="Scrap">Parts scrapped by reason.</param>
public sealed record Losses(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ParetoBar> Downtime, IReadOnlyList<ParetoBar> Scrap)
{
    /// <summary>All downtime minutes.</summary>
    public double DowntimeMinutes => Downtime.Sum(b => b.Amount);

    /// <summary>All scrapped parts.</summary>
    public double ScrapParts => Scrap.Sum(b => b.Amount);
}

/// <summary>
/// Downtime and scrap by reason for a line or site over any window, from the rollups: stops as the stop timeline
/// rebuilds them (after re-codes and splits), counted only within shift time less breaks, and scrap without voided
/// entries. Planned stops (state planned or a planned reason) are not losses and are left out. A stop counts once for
/// each reason it has with time in the window.
/// </summary>
public sealed class LossReport(IRollupReader rollups, PlantCatalog catalog, TimeProvider time)
{
    /// <summary>The code under which stop time without a reason is grouped, per state (<c>down</c>, <c>idle</c>, …).</summary>
    public const string Unassigned = "unassigned";

    /// <summary>Losses of a line or site over [from, to); a window reaching into the future ends now.</summary>
    public async Task<Losses> ForAsync(EquipmentPath lineOrSite, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (to <= from || to - from > OeeHistory.MaxWindow)
        {
            throw MesCommandException.Invalid($"The window must end after it starts and span at most {OeeHistory.MaxWindow.TotalDays:0} days.");
        }

        var plant = await catalog.GetCurrentAsync();
        var known = lineOrSite.IsLine ? plant.Line(lineOrSite) is not null : !lineOrSite.IsMachine && plant.Site(lineOrSite.Site) is not null;
        if (!known)
        {
            throw MesCommandException.NotFound($"'{lineOrSite}' is not a line or site of the plant model.");
        }

        var cells = await ReportCells.ReadAsync(rollups, plant, new ReportRequest(lineOrSite, from, to), time.GetUtcNow(), cancellationToken);
        return Compute(plant, cells);
    }

    /// <summary>The report from a window's cells.</summary>
    internal static Losses Compute(PlantView plant, ReportCells cells) =>
        new(cells.Request.From, cells.Request.To, Pareto.Rank(CellFigures.Downtime(plant, cells.Cells)), Pareto.Rank(CellFigures.Scrap(plant, cells.Cells)));

    /// <summary>True when a stop or entry still needs a reason: none given, or the PLC's placeholder.</summary>
    public static bool IsUnassigned(string? code) => string.IsNullOrWhiteSpace(code) || string.Equals(code, Unassigned, StringComparison.OrdinalIgnoreCase);
}
