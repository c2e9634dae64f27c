using MesOrleans.Telemetry;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Telemetry;

/// <summary>
/// What telemetry ingestion took, refused and queued across all silos, and which devices send for machines the plant
/// does not know. Figures come from the silos' reports, about a second old.
/// </summary>
public static class TelemetryApi
{
    public static RouteGroupBuilder MapTelemetryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/telemetry").WithTags("Telemetry").RequireAuthorization(MesPolicies.Admin);

        api.MapGet("/stats", async Task<Ok<TelemetryStatsSnapshot>> (ITelemetryOverviewSource overview) =>
            TypedResults.Ok((await overview.GetAsync()).Stats));

        api.MapGet("/unknown-devices", async Task<Ok<IReadOnlyList<UnknownDevice>>> (ITelemetryOverviewSource overview) =>
            TypedResults.Ok((await overview.GetAsync()).UnknownDevices));

        api.MapGet("/status", async Task<Ok<TelemetryOverview>> (ITelemetryOverviewSource overview) =>
            TypedResults.Ok(await overview.GetAsync()));

        return api;
    }
}
