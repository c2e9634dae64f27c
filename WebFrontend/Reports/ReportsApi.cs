using System.Text;
using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using ValidationProblem = MesOrleans.Errors.ValidationProblem;

namespace MesOrleans.WebFrontend.Reports;

/// <summary>
/// Reports over any window up to two years, read from rollups: OEE per shift, day or week, and downtime by reason,
/// category or machine, for a site, a line or a machine (<c>line/machine</c>). JSON, or CSV with a header row
/// (<c>Accept: text/csv</c> or <c>?format=csv</c>), or a spreadsheet (<c>?format=xlsx</c>).
/// </summary>
public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization(MesPolicies.Reports);

        api.MapGet("/oee", async Task<Results<Ok<OeeReportResponse>, FileContentHttpResult, ForbidHttpResult>> (
            string? site, string? line, string? machine, DateTimeOffset? from, DateTimeOffset? to, string? groupBy, string? shift, string? product, string? format,
            HttpContext http, IAuthorizationService authorization, PeriodReports reports, CancellationToken ct) =>
        {
            var query = Query(site, line, machine, from, to, shift, product, format);
            var period = Grouping(groupBy, ReportPeriod.Day);
            if (!await MayReadAsync(http, authorization, query.Site))
            {
                return TypedResults.Forbid();
            }

            var report = await reports.ReadAsync(query, cancellationToken: ct);
            var response = OeeReportResponse.Of(report, period);
            return Export(http, format, () => response.Table($"oee-{Name(query)}", report.Zone)) is { } file ? file : TypedResults.Ok(response);
        });

        api.MapGet("/downtime", async Task<Results<Ok<DowntimeReportResponse>, FileContentHttpResult, ForbidHttpResult>> (
            string? site, string? line, string? machine, DateTimeOffset? from, DateTimeOffset? to, string? groupBy, string? shift, string? product, string? format,
            HttpContext http, IAuthorizationService authorization, PeriodReports reports, CancellationToken ct) =>
        {
            var query = Query(site, line, machine, from, to, shift, product, format);
            var grouping = Grouping(groupBy, DowntimeGrouping.Reason);
            if (!await MayReadAsync(http, authorization, query.Site))
            {
                return TypedResults.Forbid();
            }

            var report = await reports.ReadAsync(query, byMachine: grouping == DowntimeGrouping.Machine, cancellationToken: ct);
            var response = DowntimeReportResponse.Of(report, grouping);
            return Export(http, format, () => response.Table($"downtime-{Name(query)}")) is { } file ? file : TypedResults.Ok(response);
        });

        return api;
    }

    /// <summary>The report a request asks for, or Invalid naming every field that is missing or out of bounds.</summary>
    internal static ReportQuery Query(string? site, string? line, string? machine, DateTimeOffset? from, DateTimeOffset? to, string? shift, string? product, string? format)
    {
        var problems = new List<ValidationProblem>();
        if (!EquipmentPath.IsValidSegment(site))
        {
            problems.Add(new("site", "give the site's id."));
        }

        if (line is not null && !EquipmentPath.IsValidSegment(line))
        {
            problems.Add(new("line", $"'{Shorten(line)}' is not a line id."));
        }

        if (machine is not null && (machine.Split('/') is not [var l, var m] || !EquipmentPath.IsValidSegment(l) || !EquipmentPath.IsValidSegment(m)))
        {
            problems.Add(new("machine", $"'{Shorten(machine)}' is not a machine as line/machine."));
        }

        problems.AddRange(new[] { TextLimits.Check(shift, TextLimits.Name, "shift"), TextLimits.Check(product, TextLimits.Name, "product") }.OfType<ValidationProblem>());
        if (format is not (null or "json" or "csv" or "xlsx"))
        {
            problems.Add(new("format", $"'{Shorten(format)}' is not one of json, csv, xlsx."));
        }

        if (from is null)
        {
            problems.Add(new("from", "give the window's start (ISO 8601 with offset)."));
        }

        if (to is null)
        {
            problems.Add(new("to", "give the window's end (ISO 8601 with offset)."));
        }

        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid("The report request is not valid.", problems);
        }

        ReportWindow.Check(from!.Value, to!.Value, ReportWindow.MaxReportSpan);
        return new ReportQuery(site!, from.Value, to.Value) { Line = line, Machine = machine, Shift = shift, Product = product };
    }

    /// <summary>A grouping by its name (<c>day</c>, <c>Day</c>), never by number; the default when none is given.</summary>
    internal static T Grouping<T>(string? name, T fallback)
        where T : struct, Enum =>
        name is null ? fallback
        : Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } known ? Enum.Parse<T>(known)
        : throw MesCommandException.Invalid(
            "The report request is not valid.",
            [new ValidationProblem("groupBy", $"'{Shorten(name)}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.")]);

    // The route names no site, so the policy checked a role at some site; the report's site is checked here.
    private static async Task<bool> MayReadAsync(HttpContext http, IAuthorizationService authorization, string site) =>
        (await authorization.AuthorizeAsync(http.User, new SiteResource(site), MesPolicies.Reports)).Succeeded;

    private static FileContentHttpResult? Export(HttpContext http, string? format, Func<ReportTable> table)
    {
        var asked = format ?? (http.Request.Headers.Accept.Any(a => a?.Contains(ReportTable.CsvType, StringComparison.OrdinalIgnoreCase) == true) ? "csv" : "json");
        if (asked == "json")
        {
            return null;
        }

        var export = table();
        return asked == "csv"
            ? TypedResults.File(Encoding.UTF8.GetBytes(export.ToCsv()), ReportTable.CsvType + "; charset=utf-8", export.Name + ".csv")
            : TypedResults.File(export.ToXlsx(), ReportTable.XlsxType, export.Name + ".xlsx");
    }

    private static string Name(ReportQuery query) =>
        $"{query.Site}{(query.Line is null ? "" : "-" + query.Line)}{(query.Machine is null ? "" : "-" + query.Machine.Replace('/', '-'))}-{query.From:yyyyMMdd}-{query.To:yyyyMMdd}";

    private static string Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text ?? "";
}
