using MesOrleans.Lines;
using MesOrleans.Plant;
using MesOrleans.Sites;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WebFrontend.Machines;
using MesOrleans.WebFrontend.Oee;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Sites;

/// <summary>Sites and lines: what the plant has, and their live status.</summary>
public static class SiteApi
{
    public static RouteGroupBuilder MapSiteApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sites").WithTags("Sites and lines");

        // The sites the caller may see.
        api.MapGet("", async Task<Ok<IEnumerable<SiteSummary>>> (PlantCatalog catalog, HttpContext http) =>
        {
            var plant = await catalog.GetCurrentAsync();
            var access = MesAccess.Of(http.User);
            return TypedResults.Ok(plant.Model.Sites.Where(s => access.Sees(s.Id)).Select(s => new SiteSummary(
                s.Id, s.Name, s.TimeZone, s.Lines.Select(l => new LineSummary(l.Id, l.Name, l.Machines.Select(m => m.Id).ToList())).ToList())).ToList().AsEnumerable());
        }).RequireAuthorization(MesPolicies.SignedIn);

        api.MapGet("/{site}", async Task<Ok<SiteStatusResponse>> (string site, IGrainFactory grains) =>
        {
            var status = await grains.GetGrain<ISiteGrain>(EquipmentRoute.Site(site).ToString()).GetStatusAsync();
            return TypedResults.Ok(new SiteStatusResponse(
                status.Id, status.Name, status.TimeZone, status.Lines.Select(LineStatusResponse.From).ToList(),
                status.ShiftOee is null ? null : OeeResponse.Of(status.ShiftOee, status.Lines.Select(l => l.CountingMachineId).OfType<string>().ToList())));
        }).RequireAuthorization(MesPolicies.View);

        api.MapGet("/{site}/lines/{line}", async Task<Ok<LineStatusResponse>> (string site, string line, IGrainFactory grains) =>
            TypedResults.Ok(LineStatusResponse.From(await grains.GetGrain<ILineGrain>(EquipmentRoute.Line(site, line).ToString()).GetStatusAsync())))
            .RequireAuthorization(MesPolicies.View);

        return api;
    }
}

public sealed record SiteSummary(string Id, string Name, string TimeZone, IReadOnlyList<LineSummary> Lines);

public sealed record LineSummary(string Id, string Name, IReadOnlyList<string> Machines);

public sealed record SiteStatusResponse(string Id, string Name, string TimeZone, IReadOnlyList<LineStatusResponse> Lines, OeeResponse? ShiftOee);

public sealed record LineStatusResponse(string Id, string Name, LineAndon Andon, string? ActiveWorkOrder, OeeResponse? ShiftOee, IReadOnlyList<MachineStatusResponse> Machines)
{
    public static LineStatusResponse From(LineStatus s) => new(
        s.Id, s.Name, s.Andon, s.ActiveWorkOrder, s.ShiftOee is null ? null : OeeResponse.Of(s.ShiftOee, s.CountingMachineId is { } counting ? [counting] : []),
        s.Machines.Select(MachineStatusResponse.From).ToList());
}
