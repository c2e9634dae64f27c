using MesOrleans.History;
using MesOrleans.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace MesOrleans.Hosting.Metrics;

/// <summary>
/// Metrics for admins, in every process that hosts MES code: OpenTelemetry over the MES's meters, Orleans', the .NET
/// runtime's and ASP.NET Core's, served in Prometheus text format at <c>GET /metrics</c> (<c>Mes:Metrics</c>).
/// </summary>
public static class MesMetricsExtensions
{
    public const string Path = "/metrics";

    /// <summary>Orleans' own meter: messaging, activations (<c>orleans-grains</c> by grain type), membership, streams.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static IHostApplicationBuilder AddMesMetrics(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<MetricsCallers>();
        if (!IsEnabled(builder.Configuration))
        {
            return builder;
        }

        services.AddHostedService<TelemetryQueueGauges>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(TelemetryStats.MeterName, EventLogWriter.MeterName, OrleansMeter)
            .AddRuntimeInstrumentation()
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c>, for the caller to protect (the web app: <c>RequireAuthorization</c>). Without metrics
    /// (<c>Mes:Metrics:Enabled=false</c>) nothing is mapped and the returned conventions apply to nothing.
    /// </summary>
    public static IEndpointConventionBuilder MapMesMetrics(this IEndpointRouteBuilder endpoints) =>
        IsEnabled(endpoints.ServiceProvider.GetRequiredService<IConfiguration>())
            ? endpoints.MapPrometheusScrapingEndpoint(Path)
            : endpoints.MapGroup(Path);

    /// <summary>
    /// <c>GET /metrics</c> for a process without sign-in (a silo): callers from loopback and <c>Mes:Metrics:OpenTo</c>
    /// only; others get 403.
    /// </summary>
    public static void MapMesMetricsForOpenNetworks(this IEndpointRouteBuilder endpoints)
    {
        if (!IsEnabled(endpoints.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            return;
        }

        var callers = endpoints.ServiceProvider.GetRequiredService<MetricsCallers>();
        endpoints.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (callers.AreOpenTo(context))
            {
                await next(context);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
            }
        }), optionsName: null);
    }

    private static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue($"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Enabled)}", defaultValue: true);
}
