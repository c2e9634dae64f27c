using MesOrleans.Reports;
using MesOrleans.Reports.Rollup;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>
/// How long a site's machines ran over a period, for MTBF: the OEE run time (running within planned busy time), read
/// from the rollups in one go for all machines of the site.
/// </summary>
public sealed class MachineRunTimes(PeriodReports reports)
{
    /// <summary>The run time of each machine the site has now over [<paramref name="from"/>, <paramref name="to"/>), up to now.</summary>
    public async Task<IReadOnlyDictionary<string, TimeSpan>> OfSiteAsync(string site, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var report = await reports.ReadAsync(new ReportQuery(site, from, to), byMachine: true, cancellationToken);
        var runTimes = report.Cells.Machines.ToDictionary(m => m, _ => TimeSpan.Zero, StringComparer.Ordinal);
        foreach (var cell in report.Cells.Cells.Where(c => c.Machine is not null && CellFigures.IsRunning(report.Plant, c)))
        {
            runTimes[cell.Machine!] += TimeSpan.FromTicks(cell.Time.Ticks);
        }

        return runTimes;
    }
}
