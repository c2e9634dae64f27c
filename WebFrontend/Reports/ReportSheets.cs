using MesOrleans.Reports;

namespace MesOrleans.WebFrontend.Reports;

/// <summary>
/// Every chart of the reports page as the table beside it, for the page and for export (CSV, .xlsx): times in the
/// site's time zone, durations in minutes or hours as the chart shows them, ratios as fractions.
/// </summary>
public static class ReportSheets
{
    public static ReportTable Oee(PeriodReport report, ReportPeriod period) =>
        OeeReportResponse.Of(report, period).Table("oee", report.Zone) with { Formats = [null, null, null, "P1", "P1", "P1", "P1", "N0", "N0", "N0", "N0", "N0", "N0"] };

    public static ReportTable Losses(PeriodReport report)
    {
        var l = report.Losses();
        return new ReportTable(
            "six-big-losses",
            ["step", "hours"],
            [
                ["Planned busy time", Hours(l.PlannedBusySeconds)],
                ["Breakdowns", -Hours(l.Breakdowns)],
                ["Setup and adjustments", -Hours(l.Setup)],
                ["Run time", Hours(l.RunSeconds)],
                ["Small stops", -Hours(l.SmallStops)],
                ["Reduced speed", -Hours(l.ReducedSpeed)],
                ["Net run time", Hours(l.NetRunSeconds)],
                ["Startup rejects", -Hours(l.StartupRejects)],
                ["Production rejects", -Hours(l.ProductionRejects)],
                ["Fully productive time", Hours(l.FullyProductiveSeconds)],
            ]) { Formats = [null, "N2"] };
    }

    public static ReportTable DowntimeByCategory(PeriodReport report, ReportPeriod period)
    {
        var periods = report.DowntimeByCategory(period);
        var categories = Categories(periods);
        return new ReportTable(
            "downtime-by-category",
            ["period", "from", .. categories.Select(c => c + " (min)")],
            [.. periods.Select(p => (IReadOnlyList<object?>)[p.Span.Period, Local(report, p.Span.From), .. categories.Select(c => (object?)Minutes(p.Seconds.GetValueOrDefault(c)))])])
        {
            Formats = [null, null, .. categories.Select(_ => "N1")],
        };
    }

    public static ReportTable Pareto(PeriodReport report) => new(
        "downtime-pareto",
        ["reason", "name", "category", "minutes", "stops", "share", "cumulativeShare"],
        [.. report.DowntimePareto.Select(b => (IReadOnlyList<object?>)[b.Code, b.Name, b.Category, b.Amount, (long)b.Occurrences, b.Share, b.CumulativeShare])])
    {
        Formats = [null, null, null, "N1", "N0", "P1", "P1"],
    };

    public static ReportTable Production(PeriodReport report, ReportPeriod period) => new(
        "production",
        ["period", "from", "made", "good", "scrap", "target", "attainment"],
        [.. report.Production(period).Select(p => (IReadOnlyList<object?>)[p.Span.Period, Local(report, p.Span.From), p.Made, p.Good, p.Scrap, p.Target, p.Target > 0 ? (double)p.Good / p.Target : null])])
    {
        Formats = [null, null, "N0", "N0", "N0", "N0", "P1"],
    };

    public static ReportTable Scrap(PeriodReport report, ReportPeriod period) => new(
        "scrap",
        ["period", "from", "made", "scrap", "scrapRate"],
        [.. report.Production(period).Select(p => (IReadOnlyList<object?>)[p.Span.Period, Local(report, p.Span.From), p.Made, p.Scrap, p.Made > 0 ? (double)p.Scrap / p.Made : null])])
    {
        Formats = [null, null, "N0", "N0", "P2"],
    };

    public static ReportTable Maintenance(PeriodReport report, IReadOnlyList<MaintenancePeriod> periods) => new(
        "maintenance",
        ["period", "from", "breakdowns", "runTimeHours", "mtbfHours", "resolved", "mttrMinutes"],
        [.. periods.Select(p => (IReadOnlyList<object?>)[p.Span.Period, Local(report, p.Span.From), (long)p.Breakdowns, p.RunTime.TotalHours,
            p.MeanTimeBetweenFailures?.TotalHours, (long)p.Resolved, p.MeanTimeToRepair?.TotalMinutes])])
    {
        Formats = [null, null, "N0", "N1", "N1", "N0", "N1"],
    };

    public static ReportTable Shifts(PeriodReport report) => new(
        "shifts",
        ["shift", "oee", "availability", "performance", "quality", "plannedBusyHours", "runHours", "made", "good", "scrap", "downtimeMinutes", "stops"],
        [.. report.Shifts().Select(s => (IReadOnlyList<object?>)[s.Shift, s.Figures.Oee, s.Figures.Availability, s.Figures.Performance, s.Figures.Quality,
            s.Figures.PlannedBusyTime.TotalHours, s.Figures.RunTime.TotalHours, s.Figures.TotalCount, s.Figures.GoodCount, s.Figures.ScrapCount, Minutes(s.DowntimeSeconds), s.Stops])])
    {
        Formats = [null, "P1", "P1", "P1", "P1", "N1", "N1", "N0", "N0", "N0", "N1", "N0"],
    };

    /// <summary>The categories of the periods, the largest overall first.</summary>
    public static IReadOnlyList<string> Categories(IEnumerable<CategoryPeriod> periods) =>
        periods.SelectMany(p => p.Seconds).GroupBy(s => s.Key).OrderByDescending(g => g.Sum(s => s.Value)).Select(g => g.Key).ToList();

    private static DateTimeOffset Local(PeriodReport report, DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, report.Zone);

    private static double Hours(double seconds) => Math.Round(seconds / 3600, 3);

    private static double Minutes(double seconds) => Math.Round(seconds / 60, 2);
}
