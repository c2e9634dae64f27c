using System.Text.Json;
using MesOrleans.Hosting.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MesOrleans.Hosting;

/// <summary>
/// The health endpoints that web app and silo share: <c>/health/live</c> (the process runs: restart it if not),
/// <c>/health/ready</c> (send it traffic: its silo is active or its client connected, the database and the broker
/// answer) and <c>/health</c> for people (every check with what it found, alarms included; 200 only when ready).
/// </summary>
public static class MesHealthExtensions
{
    public const string Path = "/health";

    private const string Ready = "ready";
    private const string Alarm = "alarm";

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IServiceCollection AddMesHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ReadinessCheck>("mes", tags: [Ready])
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<BrokerCheck>("broker", tags: [Ready])
            .AddCheck<TelemetryQueueCheck>("telemetry-queue", tags: [Alarm]);
        return services;
    }

    public static IEndpointConventionBuilder MapMesHealth(this IEndpointRouteBuilder endpoints)
    {
        // A group without a prefix, so that callers can set conventions (anonymous access) on all three at once.
        var health = endpoints.MapGroup("");
        health.MapHealthChecks($"{Path}/live", new HealthCheckOptions { Predicate = _ => false });
        health.MapHealthChecks($"{Path}/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) });
        health.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteReportAsync });
        return health;
    }

    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(
            new
            {
                status = report.Status.ToString(),
                checks = report.Entries.Select(e => new
                {
                    name = e.Key,
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description ?? e.Value.Exception?.Message,
                    data = e.Value.Data.Count == 0 ? null : e.Value.Data,
                }),
            },
            ReportJson));
    }
}
