using MesOrleans.Oee;
using MesOrleans.Reports;

namespace MesOrleans.WebFrontend.Reports;

/// <summary>
/// OEE of one period as the reports API shows it: ratios as fractions between 0 and 1 (null where undefined), times in
/// seconds of machine time (summed over the machines of a line or site), counts.
/// </summary>
public sealed record OeeReportRow(
    string Period,
    DateTimeOffset From,
    DateTimeOffset To,
    double? Availability,
    double? Performance,
    double? Quality,
    double? Oee,
    double PlannedBusyTimeSeconds,
    double RunTimeSeconds,
    long TotalCount,
    long GoodCount,
    long ScrapCount)
{
    public static OeeReportRow Of(ReportSpan span, OeeFigures f) => new(
        span.Period, span.From, span.To, f.Availability, f.Performance, f.Quality, f.Oee,
        f.PlannedBusyTime.TotalSeconds, f.RunTime.TotalSeconds, f.TotalCount, f.GoodCount, f.ScrapCount);
}

/// <summary>OEE over the whole window: the row's fields, plus planned production time before machines were monitored.</summary>
public sealed record OeeReportTotal(
    string Period,
    DateTimeOffset From,
    DateTimeOffset To,
    double? Availability,
    double? Performance,
    double? Quality,
    double? Oee,
    double PlannedBusyTimeSeconds,
    double RunTimeSeconds,
    long TotalCount,
    long GoodCount,
    long ScrapCount,
    double UnmonitoredSeconds,
    DateTimeOffset? DataSince)
{
    public static OeeReportTotal Of(DateTimeOffset from, DateTimeOffset to, OeeFigures f) => new(
        "total", from, to, f.Availability, f.Performance, f.Quality, f.Oee,
        f.PlannedBusyTime.TotalSeconds, f.RunTime.TotalSeconds, f.TotalCount, f.GoodCount, f.ScrapCount, f.UnmonitoredTime.TotalSeconds, f.DataSince);
}

/// <summary><c>GET /api/reports/oee</c>: a row per shift, day or week, and the total.</summary>
public sealed record OeeReportResponse(IReadOnlyList<OeeReportRow> Rows, OeeReportTotal Total)
{
    public static OeeReportResponse Of(PeriodReport report, ReportPeriod period) => new(
        report.Oee(period).Select(p => OeeReportRow.Of(p.Span, p.Figures)).ToList(),
        OeeReportTotal.Of(report.From, report.To, report.Total));

    /// <summary>The rows and the total as a table: times in the site's time zone for people, with their offset.</summary>
    public ReportTable Table(string name, TimeZoneInfo zone) => new(
        name,
        ["period", "from", "to", "availability", "performance", "quality", "oee", "plannedBusyTimeSeconds", "runTimeSeconds", "totalCount", "goodCount", "scrapCount", "unmonitoredSeconds"],
        [
            .. Rows.Select(r => (IReadOnlyList<object?>)[r.Period, Local(r.From, zone), Local(r.To, zone), r.Availability, r.Performance, r.Quality, r.Oee,
                r.PlannedBusyTimeSeconds, r.RunTimeSeconds, r.TotalCount, r.GoodCount, r.ScrapCount, null]),
            [Total.Period, Local(Total.From, zone), Local(Total.To, zone), Total.Availability, Total.Performance, Total.Quality, Total.Oee,
                Total.PlannedBusyTimeSeconds, Total.RunTimeSeconds, Total.TotalCount, Total.GoodCount, Total.ScrapCount, Total.UnmonitoredSeconds],
        ]);

    internal static DateTimeOffset Local(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);
}

/// <summary>Downtime of one reason, category or machine (<c>line/machine</c>): seconds of machine time, stops, share of all downtime (0 to 1).</summary>
public sealed record DowntimeReportRow(string Key, string Name, string Category, double Seconds, long Stops, double Share);

/// <summary><c>GET /api/reports/downtime</c>: rows largest first, and the totals.</summary>
public sealed record DowntimeReportResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<DowntimeReportRow> Rows, double TotalSeconds, long TotalStops)
{
    public static DowntimeReportResponse Of(PeriodReport report, DowntimeGrouping grouping)
    {
        var rows = report.Downtime(grouping).Select(r => new DowntimeReportRow(r.Key, r.Name, r.Category, r.Seconds, r.Stops, r.Share)).ToList();
        return new(report.From, report.To, rows, rows.Sum(r => r.Seconds), rows.Sum(r => r.Stops));
    }

    public ReportTable Table(string name) => new(
        name,
        ["key", "name", "category", "seconds", "stops", "share"],
        [.. Rows.Select(r => (IReadOnlyList<object?>)[r.Key, r.Name, r.Category, r.Seconds, r.Stops, r.Share])]);
}
