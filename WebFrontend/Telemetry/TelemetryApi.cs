using MesOrleans.Telemetry;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Telemetry;

/// <summary>What telemetry ingestion took and refused, and which devices send for machines the plant does not know.</summary>
public static class TelemetryApi
{
    public static RouteGroupBuilder MapTelemetryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/telemetry").WithTags("Telemetry").RequireAuthorization(MesPolicies.Admin);

        api.MapGet("/stats", Ok<TelemetryStatsSnapshot> (TelemetryStats stats) => TypedResults.Ok(stats.Snapshot()));

        api.MapGet("/unknown-devices", Ok<IReadOnlyList<UnknownDevice>> (UnknownDevices devices) => TypedResults.Ok(devices.List()));

        return api;
    }
}
