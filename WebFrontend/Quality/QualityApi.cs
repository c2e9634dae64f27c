using System.ComponentModel.DataAnnotations;
using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.Quality;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Quality;

/// <summary>
/// Quality: inspection plans per part number, inspections (first article, in process, final), SPC charts, and each
/// site's non-conformance reports with corrective actions and its KPIs (first-pass yield, defect Pareto).
/// </summary>
public static class QualityApi
{
    /// <summary>The window of SPC and KPIs when none is given: the last 30 days.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapQualityApi(this IEndpointRouteBuilder app)
    {
        var quality = app.MapGroup("/api/quality").WithTags("Quality");

        quality.MapGet("/plans/{partNumber}", async Task<Ok<InspectionPlan>> (string partNumber, QualityDesk desk) =>
            TypedResults.Ok(await desk.Part(RequirePart(partNumber)).GetPlanAsync() ?? throw MesCommandException.NotFound($"Part '{partNumber}' has no inspection plan.")))
            .RequireAuthorization(MesPolicies.View);

        quality.MapPut("/plans/{partNumber}", async Task<Ok<InspectionPlan>> (string partNumber, InspectionPlanRequest body, QualityDesk desk, HttpContext http) =>
            TypedResults.Ok(await desk.Part(RequirePart(partNumber)).SetPlanAsync(
                new InspectionPlan(partNumber, body.Characteristics ?? [], body.FirstArticleRequired, UpdatedBy: MesAccess.Of(http.User).Name))))
            .RequireAuthorization(MesPolicies.Quality);

        quality.MapPost("/inspections", async Task<Results<Created<Inspection>, ForbidHttpResult>> (InspectionRequest body, QualityDesk desk, HttpContext http, TimeProvider time) =>
        {
            var kind = QualityDesk.KindOf(body.Kind)
                ?? throw MesCommandException.Invalid("The kind is not known.", [new("$.kind", $"'{body.Kind}' is not firstArticle, inProcess (in-process) or final.")]);
            if (!PartNumber.IsValid(body.Part))
            {
                throw MesCommandException.Invalid("The part is not valid.", [new("$.part", $"'{body.Part}' is not a part number: {PartNumber.Rule}.")]);
            }

            var site = await desk.SiteOfAsync(body.Part, body.Order, body.Site);
            var access = MesAccess.Of(http.User);
            if (!access.May(MesPolicies.Quality, site))
            {
                return TypedResults.Forbid();
            }

            var inspection = await desk.Part(body.Part).InspectAsync(new InspectionInput(
                body.Part, body.Order, site, kind, body.At ?? time.GetUtcNow(), body.Results ?? [], body.Inspector ?? access.Name));
            return TypedResults.Created($"/api/sites/{site}/quality/inspections", inspection);
        }).RequireAuthorization(MesPolicies.Quality);

        quality.MapGet("/spc", async Task<Ok<SpcResponse>> (string? part, string? characteristic, DateTimeOffset? from, DateTimeOffset? to, QualityDesk desk, HttpContext http, TimeProvider time) =>
        {
            if (part is null || characteristic is null)
            {
                throw MesCommandException.Invalid("Name the part and the characteristic.", [new(part is null ? "part" : "characteristic", "is required.")]);
            }

            var (start, end) = Window(from, to, time);
            var access = MesAccess.Of(http.User);
            var (c, chart) = await desk.SpcAsync(RequirePart(part), characteristic, start, end, access.Sees);
            return TypedResults.Ok(new SpcResponse(part, c.Name, c.Unit, c.Lower, c.Upper, chart.Chart, chart.SubgroupSize, chart.Xbar, chart.Range, chart.Points));
        }).RequireAuthorization(MesPolicies.View);

        var site = app.MapGroup("/api/sites/{site}/quality").WithTags("Quality");

        site.MapGet("/inspections", async Task<Ok<IReadOnlyList<Inspection>>> (string site, int? count, QualityDesk desk) =>
            TypedResults.Ok(await desk.Board(EquipmentRoute.Site(site).ToString()).GetRecentInspectionsAsync(Math.Clamp(count ?? 50, 1, IQualityBoardGrain.RecentInspections))))
            .RequireAuthorization(MesPolicies.View);

        site.MapGet("/kpis", async Task<Ok<QualityKpis>> (string site, DateTimeOffset? from, DateTimeOffset? to, QualityDesk desk, TimeProvider time) =>
        {
            var (start, end) = Window(from, to, time);
            return TypedResults.Ok(await desk.KpisAsync(EquipmentRoute.Site(site).ToString(), start, end));
        }).RequireAuthorization(MesPolicies.View);

        site.MapGet("/ncrs", async Task<Ok<IReadOnlyList<Ncr>>> (string site, DateTimeOffset? from, DateTimeOffset? to, QualityDesk desk, TimeProvider time) =>
        {
            var (start, end) = Window(from, to, time);
            return TypedResults.Ok(await desk.Board(EquipmentRoute.Site(site).ToString()).GetNcrsAsync(start, end));
        }).RequireAuthorization(MesPolicies.View);

        site.MapPost("/ncrs", async Task<Created<Ncr>> (string site, NcrRequest body, QualityDesk desk) =>
        {
            var ncr = await desk.Board(EquipmentRoute.Site(site).ToString()).OpenNcrAsync(
                new NewNcr(body.Part, body.Order, body.Quantity, body.DefectCode, body.Description, body.OpenedBy));
            return TypedResults.Created($"/api/sites/{site}/quality/ncrs/{ncr.Id}", ncr);
        }).RequireAuthorization(MesPolicies.Quality);

        site.MapPost("/ncrs/{ncrId:int}/disposition", async Task<Ok<Ncr>> (string site, int ncrId, DispositionRequest body, QualityDesk desk) =>
            TypedResults.Ok(await desk.Board(site).DispositionAsync(ncrId, body.Disposition, Required(body.By, "$.by"))))
            .RequireAuthorization(MesPolicies.Quality);

        site.MapPost("/ncrs/{ncrId:int}/close", async Task<Ok<Ncr>> (string site, int ncrId, NcrStepRequest body, QualityDesk desk) =>
            TypedResults.Ok(await desk.Board(site).CloseNcrAsync(ncrId, Required(body.By, "$.by"))))
            .RequireAuthorization(MesPolicies.Quality);

        site.MapPost("/ncrs/{ncrId:int}/actions", async Task<Ok<Ncr>> (string site, int ncrId, CorrectiveActionRequest body, QualityDesk desk) =>
            TypedResults.Ok(await desk.Board(site).AddActionAsync(ncrId, body.Title, body.Owner, body.Due)))
            .RequireAuthorization(MesPolicies.Quality);

        site.MapPost("/ncrs/{ncrId:int}/actions/{actionId:int}", async Task<Ok<Ncr>> (string site, int ncrId, int actionId, ActionStatusRequest body, QualityDesk desk) =>
            TypedResults.Ok(await desk.Board(site).SetActionStatusAsync(ncrId, actionId, body.Status)))
            .RequireAuthorization(MesPolicies.Quality);

        return app;
    }

    private static (DateTimeOffset From, DateTimeOffset To) Window(DateTimeOffset? from, DateTimeOffset? to, TimeProvider time) =>
        ReportWindow.Of(from, to, DefaultPeriod, time.GetUtcNow());

    private static string RequirePart(string partNumber) =>
        PartNumber.IsValid(partNumber) ? partNumber : throw MesCommandException.NotFound($"'{partNumber}' is not a part number.");

    private static string Required(string? text, string path) =>
        string.IsNullOrWhiteSpace(text) ? throw MesCommandException.Invalid("A name is required.", [new(path, "is required.")]) : text;
}

public sealed record InspectionPlanRequest(IReadOnlyList<Characteristic>? Characteristics, bool FirstArticleRequired = false);

public sealed record InspectionRequest(
    [property: MaxLength(TextLimits.Code)] string Part,
    [property: MaxLength(TextLimits.Code)] string Kind,
    IReadOnlyList<CharacteristicResult>? Results,
    DateTimeOffset? At = null,
    [property: MaxLength(TextLimits.Code)] string? Order = null,
    [property: MaxLength(TextLimits.Code)] string? Site = null,
    [property: MaxLength(TextLimits.Person)] string? Inspector = null);

public sealed record NcrRequest(
    [property: MaxLength(TextLimits.Code)] string Part,
    long Quantity,
    [property: MaxLength(TextLimits.Code)] string DefectCode,
    [property: MaxLength(TextLimits.Person)] string OpenedBy,
    [property: MaxLength(TextLimits.Code)] string? Order = null,
    [property: MaxLength(TextLimits.Text)] string? Description = null);

public sealed record DispositionRequest(Disposition Disposition, [property: MaxLength(TextLimits.Person)] string By);

public sealed record NcrStepRequest([property: MaxLength(TextLimits.Person)] string By);

public sealed record CorrectiveActionRequest(
    [property: MaxLength(TextLimits.Title)] string Title,
    [property: MaxLength(TextLimits.Person)] string Owner,
    DateOnly Due);

public sealed record ActionStatusRequest(ActionStatus Status);

/// <summary>An SPC chart as the API shows it: the part and characteristic with its unit and specification limits, then the chart.</summary>
public sealed record SpcResponse(
    string Part,
    string Characteristic,
    string? Unit,
    double? Lower,
    double? Upper,
    string Chart,
    int SubgroupSize,
    ChartLimits? Xbar,
    ChartLimits? Range,
    IReadOnlyList<ChartPoint> Points);
