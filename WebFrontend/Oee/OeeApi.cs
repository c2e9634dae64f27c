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

        api.MapGet("/oee", (string site, DateTimeOffset? from, DateTimeOffset? to, IGrainFactory grains, OeeHistory history, CancellationToken ct) =>
            GetAsync(EquipmentRoute.Site(site), from, to, history, () => grains.GetGrain<ISiteGrain>(site).GetShiftOeeAsync(), ct));

        api.MapGet("/lines/{line}/oee", (string site, string line, DateTimeOffset? from, DateTimeOffset? to, IGrainFactory grains, OeeHistory history, CancellationToken ct) =>
        {
            var path = EquipmentRoute.Line(site, line);
            return GetAsync(path, from, to, history, () => grains.GetGrain<ILineGrain>(path.ToString()).GetShiftOeeAsync(), ct);
        });

        api.MapGet("/lines/{line}/machines/{machine}/oee", (string site, string line, string machine, DateTimeOffset? from, DateTimeOffset? to, IGrainFactory grains, OeeHistory history, CancellationToken ct) =>
        {
            var path = EquipmentRoute.Machine(site, line, machine);
            return GetAsync(path, from, to, history, () => grains.GetGrain<IMachineGrain>(path.ToString()).GetShiftOeeAsync(), ct);
        });

        return api;
    }

    private static async Task<Ok<OeeResponse>> GetAsync(
        EquipmentPath equipment, DateTimeOffset? from, DateTimeOffset? to, OeeHistory history, Func<Task<OeeFigures>> currentShift, CancellationToken ct)
    {
        var figures = (from, to) switch
        {
            (null, null) => await currentShift(),
            ({ } f, { } t) => await WindowAsync(equipment, f, t, history, ct),
            _ => throw MesCommandException.Invalid("Give both 'from' and 'to' (ISO 8601), or neither for the current shift."),
        };
        return TypedResults.Ok(OeeResponse.Of(figures));
    }

    private static Task<OeeFigures> WindowAsync(EquipmentPath equipment, DateTimeOffset from, DateTimeOffset to, OeeHistory history, CancellationToken ct)
    {
        ReportWindow.Check(from, to);
        return history.ForAsync(equipment, from, to, ct);
    }
}
