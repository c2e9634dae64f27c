using System.ComponentModel.DataAnnotations;
using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WorkOrders;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace MesOrleans.WebFrontend.WorkOrders;

/// <summary>
/// Work orders through their life (planned → released → running ⇄ paused → completed → closed), lists, a site's
/// schedule, and the ERP exchange: import of a CSV file (all or nothing) and export of completed orders.
/// </summary>
public static class WorkOrderApi
{
    /// <summary>The export's window when none is given: the last 7 days.</summary>
    public static readonly TimeSpan DefaultExportPeriod = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapWorkOrderApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/work-orders").WithTags("Work orders");

        api.MapPost("", async Task<Results<Created<WorkOrderResponse>, ForbidHttpResult>> (CreateWorkOrderRequest body, WorkOrderDesk desk, HttpContext http, IAuthorizationService authorization) =>
        {
            // The order's site is in its body: planning there is checked here, the route has no site.
            if (EquipmentPath.TryParse(body.LineId, out var line) && !await MayAsync(http, authorization, MesPolicies.Plan, line.Site))
            {
                return TypedResults.Forbid();
            }

            if (!line.IsLine)
            {
                throw MesCommandException.Invalid("The line is not valid.", [new("$.lineId", $"'{body.LineId}' is not a line of the plant (write it as site/line).")]);
            }

            var entry = await desk.Book(line.Site).CreateAsync(new WorkOrderPlan(body.OrderNumber, body.Product?.Trim() ?? "", body.TargetQuantity, body.LineId, body.Due, body.Lot));
            return TypedResults.Created($"/api/work-orders/{entry.OrderNumber}", WorkOrderResponse.Of(entry, null));
        }).RequireAuthorization(MesPolicies.Plan);

        api.MapGet("", async Task<Ok<IReadOnlyList<WorkOrderResponse>>> (string? site, string? line, string? status, WorkOrderDesk desk, PlantCatalog catalog, HttpContext http) =>
        {
            // By name in any case (status=running), never by number.
            WorkOrderStatus? wanted = status is null ? null
                : Enum.GetNames<WorkOrderStatus>().FirstOrDefault(n => string.Equals(n, status, StringComparison.OrdinalIgnoreCase)) is { } name ? Enum.Parse<WorkOrderStatus>(name)
                : throw MesCommandException.Invalid("The status is not known.", [new("status", $"'{status}' is not one of {string.Join(", ", Enum.GetNames<WorkOrderStatus>().Select(n => n.ToLowerInvariant()))}.")]);
            var access = MesAccess.Of(http.User);
            var sites = (await catalog.GetCurrentAsync()).Model.Sites.Select(s => s.Id).Where(s => access.Sees(s) && (site is null || s == site)).ToList();
            var lineId = line is null ? null : line.Contains('/', StringComparison.Ordinal) ? line : site is null
                ? throw MesCommandException.Invalid("A line needs its site.", [new("line", "give 'site' too, or the line as site/line.")])
                : $"{site}/{line}";
            return TypedResults.Ok(await desk.ListAsync(sites, lineId, wanted));
        }).RequireAuthorization(MesPolicies.View);

        api.MapPost("/import", async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> (bool? dryRun, HttpContext http, WorkOrderDesk desk, IAuthorizationService authorization) =>
        {
            var body = await ReadBodyAsync(http.Request);
            var charset = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) ? type.Charset.Value : null;
            var access = new Dictionary<string, bool>();
            foreach (var site in (await http.RequestServices.GetRequiredService<PlantCatalog>().GetCurrentAsync()).Model.Sites)
            {
                access[site.Id] = await MayAsync(http, authorization, MesPolicies.Plan, site.Id);
            }

            var outcome = await desk.ImportAsync(body, charset, dryRun ?? false, site => access.GetValueOrDefault(site));
            return outcome.Succeeded
                ? TypedResults.Ok(new ImportResponse(outcome.Created, outcome.Updated, outcome.Unchanged, dryRun ?? false))
                : TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The file has problems; nothing was imported.",
                    Detail = $"{outcome.Errors.Count} problem(s), first on line {outcome.Errors[0].Line}.",
                    Extensions = { ["rowErrors"] = outcome.Errors.Select(e => new RowErrorResponse(e.Line, e.Column, e.Message)).ToList() },
                });
        }).RequireAuthorization(MesPolicies.Plan).Accepts<string>("text/csv");

        api.MapGet("/export", async (DateTimeOffset? from, DateTimeOffset? to, WorkOrderDesk desk, PlantCatalog catalog, HttpContext http, TimeProvider time) =>
        {
            var (start, end) = ReportWindow.Of(from, to, DefaultExportPeriod, time.GetUtcNow());
            var access = MesAccess.Of(http.User);
            var sites = (await catalog.GetCurrentAsync()).Model.Sites.Select(s => s.Id).Where(access.Sees);
            return TypedResults.Text(await desk.ExportAsync(sites, start, end), "text/csv; charset=utf-8");
        }).RequireAuthorization(MesPolicies.View);

        api.MapGet("/{orderNumber}", async Task<Ok<WorkOrderResponse>> (string orderNumber, WorkOrderDesk desk) =>
            TypedResults.Ok(await desk.ViewAsync((await desk.RequireAsync(orderNumber)).Entry)))
            .RequireAuthorization(MesPolicies.View);

        MapStep(api, "release", (book, n) => book.ReleaseAsync(n));
        MapStep(api, "start", (book, n) => book.StartAsync(n));
        MapStep(api, "pause", (book, n) => book.PauseAsync(n));
        MapStep(api, "resume", (book, n) => book.ResumeAsync(n));
        MapStep(api, "complete", (book, n) => book.CompleteAsync(n));
        MapStep(api, "close", (book, n) => book.CloseAsync(n));

        api.MapPost("/{orderNumber}/move", async Task<Ok<IReadOnlyList<WorkOrderResponse>>> (string orderNumber, MoveRequest body, WorkOrderDesk desk) =>
        {
            var (site, _) = await desk.RequireAsync(orderNumber);
            var queue = await desk.Book(site).MoveAsync(orderNumber, body.Position);
            return TypedResults.Ok<IReadOnlyList<WorkOrderResponse>>(queue.Select(e => WorkOrderResponse.Of(e, null)).ToList());
        }).RequireAuthorization(MesPolicies.Plan);

        api.MapPost("/{orderNumber}/production", async Task<Ok<WorkOrderResponse>> (string orderNumber, ProductionRequest body, WorkOrderDesk desk, IGrainFactory grains) =>
        {
            var (_, entry) = await desk.RequireAsync(orderNumber);
            if (entry.Status != WorkOrderStatus.Running)
            {
                throw MesCommandException.Conflict($"Work order '{orderNumber}' is {entry.Status.ToString().ToLowerInvariant()}; only a running order can be given production.");
            }

            return TypedResults.Ok(WorkOrderResponse.Of(entry, await grains.GetGrain<IWorkOrderGrain>(orderNumber).AddProductionAsync(body.Good, body.Scrap)));
        }).RequireAuthorization(MesPolicies.Plan);

        var lines = app.MapGroup("/api/sites/{site}").WithTags("Work orders");

        lines.MapGet("/schedule", async Task<Ok<SiteSchedule>> (string site, WorkOrderDesk desk) =>
            TypedResults.Ok(await desk.Book(EquipmentRoute.Site(site).ToString()).GetScheduleAsync()))
            .RequireAuthorization(MesPolicies.View);

        lines.MapPost("/lines/{line}/dispatch", async Task<Ok<WorkOrderResponse>> (string site, string line, WorkOrderDesk desk) =>
            TypedResults.Ok(await desk.ViewAsync(await desk.Book(site).DispatchAsync(EquipmentRoute.Line(site, line).ToString()))))
            .RequireAuthorization(MesPolicies.Plan);

        return app;
    }

    private static void MapStep(RouteGroupBuilder api, string step, Func<IWorkOrderBookGrain, string, Task<WorkOrderEntry>> command) =>
        api.MapPost($"/{{orderNumber}}/{step}", async Task<Ok<WorkOrderResponse>> (string orderNumber, WorkOrderDesk desk) =>
        {
            var (site, _) = await desk.RequireAsync(orderNumber);
            return TypedResults.Ok(await desk.ViewAsync(await command(desk.Book(site), orderNumber)));
        }).RequireAuthorization(MesPolicies.Plan);

    private static async Task<bool> MayAsync(HttpContext http, IAuthorizationService authorization, string policy, string site) =>
        (await authorization.AuthorizeAsync(http.User, new SiteResource(site), policy)).Succeeded;

    // The file is read whole (it is bounded): its encoding is judged from its first bytes.
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > WorkOrderCsv.MaxBytes)
        {
            throw MesCommandException.Invalid("The file is too large.", [new("body", $"a file has at most {WorkOrderCsv.MaxBytes / (1024 * 1024)} MB.")]);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > WorkOrderCsv.MaxBytes)
            {
                throw MesCommandException.Invalid("The file is too large.", [new("body", $"a file has at most {WorkOrderCsv.MaxBytes / (1024 * 1024)} MB.")]);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

public sealed record CreateWorkOrderRequest(
    [property: MaxLength(TextLimits.Code)] string OrderNumber,
    [property: MaxLength(TextLimits.Name)] string Product,
    long TargetQuantity,
    [property: MaxLength(TextLimits.Name)] string LineId,
    DateTimeOffset? Due = null,
    [property: MaxLength(TextLimits.Code)] string? Lot = null);

public sealed record ProductionRequest(long Good, long Scrap);

public sealed record MoveRequest(int Position);

public sealed record ImportResponse(int Created, int Updated, int Unchanged, bool DryRun);

public sealed record RowErrorResponse(int Line, string Column, string Message);
