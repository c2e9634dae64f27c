using System.Globalization;
using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Reports.Rollup;
using MesOrleans.Time;

namespace MesOrleans.Reports;

/// <summary>One row of a trend: a shift occurrence, a day or an ISO week, with its span (clipped to the report's window).</summary>
public sealed record ReportSpan(string Period, DateTimeOffset From, DateTimeOffset To);

/// <summary>OEE of one period.</summary>
public sealed record OeePeriod(ReportSpan Span, OeeFigures Figures);

/// <summary>Downtime of one reason, category or machine: seconds of machine time, stops, and its share of all downtime.</summary>
public sealed record DowntimeRow(string Key, string Name, string Category, double Seconds, long Stops, double Share);

/// <summary>Downtime of one period by reason category, in seconds of machine time.</summary>
public sealed record CategoryPeriod(ReportSpan Span, IReadOnlyDictionary<string, double> Seconds);

/// <summary>Parts of one period against the target: planned busy time at the ideal rate.</summary>
public sealed record ProductionPeriod(ReportSpan Span, long Made, long Good, long Scrap, long Target, TimeSpan RunTime);

/// <summary>One shift (by name) over the whole window, for comparing shifts.</summary>
public sealed record ShiftComparison(string Shift, OeeFigures Figures, double DowntimeSeconds, long Stops);

/// <summary>
/// The six big losses as a waterfall from planned busy time to fully productive time, in seconds of machine time:
/// breakdowns and setup (availability), small stops and reduced speed (performance), startup and production rejects
/// (quality). Each step is what the one before it loses; the last equals OEE × planned busy time.
/// </summary>
public sealed record SixBigLosses(
    double PlannedBusySeconds,
    double Breakdowns,
    double Setup,
    double RunSeconds,
    double SmallStops,
    double ReducedSpeed,
    double NetRunSeconds,
    double StartupRejects,
    double ProductionRejects,
    double FullyProductiveSeconds);

/// <summary>A scope's report over a window, from its rollup cells: every table and chart of the reports page.</summary>
public sealed class PeriodReport(PlantView plant, ReportCells cells)
{
    private static readonly string[] SetupCategories = ["setup", "changeover"];
    private const string StartupRejectCategory = "startup-reject";

    private readonly SiteLayout _layout = plant.LayoutOf(cells.Request.Scope.Site);

    public ReportCells Cells => cells;

    public PlantView Plant => plant;

    public DateTimeOffset From => cells.Request.From;

    public DateTimeOffset To => cells.Request.To;

    /// <summary>The site's time zone, in which days and weeks are cut.</summary>
    public TimeZoneInfo Zone => _layout.Calendar.TimeZone;

    /// <summary>OEE over the whole window, with unmonitored time and since when the data covers it.</summary>
    public OeeFigures Total => CellFigures.Oee(plant, cells.Cells, From, To, cells.TimeWindow.Duration * cells.Machines.Count, cells.DataSince);

    /// <summary>Products the cells name, for a filter.</summary>
    public IReadOnlyList<string> Products => cells.Cells.Select(c => c.Product).Where(p => p.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The periods of the window, in order.</summary>
    public IReadOnlyList<ReportSpan> Spans(ReportPeriod period) => Periods(period).Select(p => p.Span).ToList();

    public IReadOnlyList<OeePeriod> Oee(ReportPeriod period) =>
        Periods(period).Select(p => new OeePeriod(p.Span, CellFigures.Oee(plant, p.Cells, p.Span.From, p.Span.To, CalendarTime(p.Span), null))).ToList();

    /// <summary>Downtime added up by reason, category or machine, largest first.</summary>
    public IReadOnlyList<DowntimeRow> Downtime(DowntimeGrouping grouping)
    {
        var downtime = cells.Cells.Where(c => CellFigures.IsDowntime(plant, c)).ToList();
        var total = (double)downtime.Sum(c => c.Time.Ticks);
        IEnumerable<(string Key, string Name, string Category, IEnumerable<ReportCell> Cells)> groups = grouping switch
        {
            DowntimeGrouping.Reason => downtime.GroupBy(c => Cause(c)).Select(g => (g.Key.Code, g.Key.Name, g.Key.Category, (IEnumerable<ReportCell>)g)),
            DowntimeGrouping.Category => downtime.GroupBy(c => Cause(c).Category).Select(g => (g.Key, g.Key, g.Key, (IEnumerable<ReportCell>)g)),
            _ => downtime.GroupBy(c => c.Machine ?? throw new InvalidOperationException("Downtime by machine needs a report read by machine."))
                .Select(g => (MachineKey(g.Key), MachineName(g.Key), "", (IEnumerable<ReportCell>)g)),
        };
        return groups
            .Select(g => (g.Key, g.Name, g.Category, Ticks: g.Cells.Sum(c => c.Time.Ticks), Stops: g.Cells.Sum(c => c.Time.Stops)))
            .Where(g => g.Ticks > 0)
            .OrderByDescending(g => g.Ticks)
            .ThenBy(g => g.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(g => new DowntimeRow(g.Key, g.Name, g.Category, TimeSpan.FromTicks(g.Ticks).TotalSeconds, g.Stops, g.Ticks / total))
            .ToList();
    }

    /// <summary>Downtime by reason as a Pareto of minutes.</summary>
    public IReadOnlyList<ParetoBar> DowntimePareto => Reports.Pareto.Rank(CellFigures.Downtime(plant, cells.Cells));

    /// <summary>Scrap by reason as a Pareto of parts.</summary>
    public IReadOnlyList<ParetoBar> ScrapPareto => Reports.Pareto.Rank(CellFigures.Scrap(plant, cells.Cells));

    /// <summary>Downtime per period by reason category, categories in order of their total.</summary>
    public IReadOnlyList<CategoryPeriod> DowntimeByCategory(ReportPeriod period) =>
        Periods(period)
            .Select(p => new CategoryPeriod(p.Span, p.Cells.Where(c => CellFigures.IsDowntime(plant, c))
                .GroupBy(c => Cause(c).Category)
                .ToDictionary(g => g.Key, g => TimeSpan.FromTicks(g.Sum(c => c.Time.Ticks)).TotalSeconds)))
            .ToList();

    /// <summary>Parts made per period against the target so far (planned busy time at the ideal rate), with run time for MTBF.</summary>
    public IReadOnlyList<ProductionPeriod> Production(ReportPeriod period) =>
        Periods(period)
            .Select(p =>
            {
                var figures = CellFigures.Oee(plant, p.Cells, p.Span.From, p.Span.To, TimeSpan.Zero, null);
                var target = (long)Math.Floor(p.Cells.Where(c => CellFigures.IsBusy(plant, c)).Sum(c => c.Time.Cycles) + 1e-9);
                return new ProductionPeriod(p.Span, figures.TotalCount, figures.GoodCount, figures.ScrapCount, target, figures.RunTime);
            })
            .ToList();

    /// <summary>Each shift (by name) over the window.</summary>
    public IReadOnlyList<ShiftComparison> Shifts()
    {
        var occurrences = Periods(ReportPeriod.Shift);
        return cells.Cells.Where(c => c.Segment.ShiftStart != 0)
            .GroupBy(c => c.ShiftName)
            .OrderBy(g => g.Min(c => c.Segment.ShiftStart))
            .Select(g =>
            {
                var calendar = occurrences.Where(o => o.Name == g.Key).Aggregate(TimeSpan.Zero, (sum, o) => sum + CalendarTime(o.Span));
                var downtime = g.Where(c => CellFigures.IsDowntime(plant, c)).ToList();
                return new ShiftComparison(
                    g.Key, CellFigures.Oee(plant, g, From, To, calendar, null), TimeSpan.FromTicks(downtime.Sum(c => c.Time.Ticks)).TotalSeconds, downtime.Sum(c => c.Time.Stops));
            })
            .ToList();
    }

    /// <summary>The six big losses over the window.</summary>
    public SixBigLosses Losses()
    {
        var total = Total;
        var pbt = total.PlannedBusyTime.TotalSeconds;
        var run = total.RunTime.TotalSeconds;
        var setup = Seconds(cells.Cells.Where(c => CellFigures.IsDowntime(plant, c) && !c.Minor && IsSetup(c)));
        var minor = Seconds(cells.Cells.Where(c => CellFigures.IsRunning(plant, c) && c.Minor));
        var ideal = total.IdealRunTime.TotalSeconds;
        var performance = Math.Max(0, run - ideal);
        var small = Math.Min(minor, performance);
        var net = run - performance;
        var quality = total.Quality is { } q ? net * (1 - q) : 0;
        var rejects = cells.Cells.Where(c => !c.IsTime && c.Parts.Scrap > 0).ToList();
        var scrapTicks = (double)rejects.Sum(c => c.Parts.IdealTicks - c.Parts.IdealGoodTicks);
        var startupTicks = rejects.Where(c => string.Equals(CellFigures.ScrapCause(plant, c.Reason).Category, StartupRejectCategory, StringComparison.OrdinalIgnoreCase))
            .Sum(c => c.Parts.IdealTicks - c.Parts.IdealGoodTicks);
        var startup = scrapTicks > 0 ? quality * startupTicks / scrapTicks : 0;
        return new SixBigLosses(pbt, pbt - run - setup, setup, run, small, performance - small, net, startup, quality - startup, net - quality);
    }

    private LossAmount Cause(ReportCell cell) => CellFigures.DowntimeCause(plant, cell.State!.Value, cell.Reason);

    private bool IsSetup(ReportCell cell) =>
        cell.State == MachineState.Changeover || SetupCategories.Contains(Cause(cell).Category, StringComparer.OrdinalIgnoreCase);

    private static double Seconds(IEnumerable<ReportCell> cells) => TimeSpan.FromTicks(cells.Sum(c => c.Time.Ticks)).TotalSeconds;

    private TimeSpan CalendarTime(ReportSpan span) =>
        new TimeRange(span.From, span.To).Intersect(cells.TimeWindow)?.Duration * cells.Machines.Count ?? TimeSpan.Zero;

    // The machine without its site, as the API names machines: line/machine.
    private static string MachineKey(string machine) => machine[(machine.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private string MachineName(string machine) => plant.Machine(EquipmentPath.Parse(machine))?.Name ?? MachineKey(machine);

    private List<Period> Periods(ReportPeriod period)
    {
        var window = new TimeRange(From, To);
        var calendar = _layout.Calendar;
        var periods = new List<Period>();
        switch (period)
        {
            case ReportPeriod.Shift:
                var byShift = cells.Cells.Where(c => c.Segment.ShiftStart != 0).ToLookup(c => c.Segment.ShiftStart);
                foreach (var occurrence in calendar.Occurrences(window).Where(o => cells.Request.Shift is null || o.Name == cells.Request.Shift))
                {
                    var span = occurrence.Range.Intersect(window)!.Value;
                    periods.Add(new Period(
                        new ReportSpan($"{occurrence.Day:yyyy-MM-dd} {occurrence.Name}", span.Start, span.End), occurrence.Name, [.. byShift[occurrence.Range.Start.UtcTicks]]));
                }

                break;

            case ReportPeriod.Day:
                var byDay = cells.Cells.ToLookup(c => c.Segment.Day);
                for (var day = calendar.LocalDate(From); calendar.Day(day).Start < To; day = day.AddDays(1))
                {
                    var span = calendar.Day(day).Intersect(window)!.Value;
                    periods.Add(new Period(new ReportSpan(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), span.Start, span.End), "", [.. byDay[day]]));
                }

                break;

            default:
                var byWeek = cells.Cells.ToLookup(c => WeekOf(c.Segment.Day));
                for (var monday = WeekOf(calendar.LocalDate(From)); calendar.Day(monday).Start < To; monday = monday.AddDays(7))
                {
                    var span = new TimeRange(calendar.Day(monday).Start, calendar.Day(monday.AddDays(7)).Start).Intersect(window)!.Value;
                    var name = $"{ISOWeek.GetYear(monday.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):00}";
                    periods.Add(new Period(new ReportSpan(name, span.Start, span.End), "", [.. byWeek[monday]]));
                }

                break;
        }

        return periods;
    }

    // The Monday that starts the ISO week of a day.
    private static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private sealed record Period(ReportSpan Span, string Name, IReadOnlyList<ReportCell> Cells);
}
