using MesOrleans.Errors;
using MesOrleans.Lines;
using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Sites;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Oee;

/// <summary>
/// OEE of machines, lines and sites: the current shift from the live grains by default, any past window
/// (<c>?from=&amp;to=</c>, ISO 8601) from the history store.
/// </summary>
public static class OeeApi
{
    public static RouteGroupBuilder MapOeeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sites/{site}").WithTags("OEE").RequireAuthorization(MesPolicies.View);

        api.MapGet("/oee", async (string site, DateTimeOffset? from, DateTimeOffset? to, IGrainFactory grains, OeeHistory history, PlantCatalog catalog, CancellationToken ct) =>
        {
            var path = EquipmentRoute.Site(site);
            var figures = await GetAsync(path, from, to, history, () => grains.GetGrain<ISiteGrain>(site).GetShiftOeeAsync(), ct);
            return TypedResults.Ok(OeeResponse.Of(figures, await CountingMachinesAsync(catalog, path)));
        });

        api.MapGet("/lines/{line}/oee", async (string site, string line, DateTimeOffset? from, DateTimeOffset? to, IGrainFactory grains, OeeHistory history, PlantCatalog catalog, CancellationToken ct) =>
        {
            var path = EquipmentRoute.Line(site, line);
            var figures = await GetAsync(path, from, to, history, () => grains.GetGrain<ILineGrain>(path.ToString()).GetShiftOeeAsync(), ct);
            return TypedResults.Ok(OeeResponse.Of(figures, await CountingMachinesAsync(catalog, path)));
        });

        api.MapGet("/lines/{line}/machines/{machine}/oee", async (string site, string line, string machine, DateTimeOffset? from, DateTimeOffset? to, IGrainFactory grains, OeeHistory history, CancellationToken ct) =>
        {
            var path = EquipmentRoute.Machine(site, line, machine);
            return TypedResults.Ok(OeeResponse.Of(await GetAsync(path, from, to, history, () => grains.GetGrain<IMachineGrain>(path.ToString()).GetShiftOeeAsync(), ct)));
        });

        return api;
    }

    private static async Task<OeeFigures> GetAsync(
        EquipmentPath equipment, DateTimeOffset? from, DateTimeOffset? to, OeeHistory history, Func<Task<OeeFigures>> currentShift, CancellationToken ct) =>
        (from, to) switch
        {
            (null, null) => await currentShift(),
            ({ } f, { } t) => await WindowAsync(equipment, f, t, history, ct),
            _ => throw MesCommandException.Invalid("Give both 'from' and 'to' (ISO 8601), or neither for the current shift."),
        };

    // The machines whose counts are the output of the line, or of each line of the site.
    private static async Task<IReadOnlyList<string>> CountingMachinesAsync(PlantCatalog catalog, EquipmentPath lineOrSite)
    {
        var plant = await catalog.GetCurrentAsync();
        var lines = lineOrSite.IsLine ? [lineOrSite] : (plant.Site(lineOrSite.Site)?.Lines ?? []).Select(l => EquipmentPath.ForLine(lineOrSite.Site, l.Id));
        return lines.Select(plant.CountingMachineOf).OfType<EquipmentPath>().Select(m => m.ToString()).ToList();
    }

    private static Task<OeeFigures> WindowAsync(EquipmentPath equipment, DateTimeOffset from, DateTimeOffset to, OeeHistory history, CancellationToken ct)
    {
        ReportWindow.Check(from, to);
        return history.ForAsync(equipment, from, to, ct);
    }
}
