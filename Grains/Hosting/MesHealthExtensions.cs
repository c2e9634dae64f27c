using MesOrleans.Plant;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MesOrleans.Hosting;

/// <summary>The <c>/health</c> endpoint that web app and silo share: 200 only when clients may start sending.</summary>
public static class MesHealthExtensions
{
    public const string Path = "/health";

    public static IServiceCollection AddMesHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<MesReadinessCheck>("mes", tags: ["ready"]);
        return services;
    }

    public static IEndpointConventionBuilder MapMesHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(Path);

    /// <summary>Ready when the plant model is applied and a grain answers.</summary>
    private sealed class MesReadinessCheck(MesReadiness readiness, IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!readiness.IsReady)
            {
                return HealthCheckResult.Unhealthy(readiness.Status);
            }

            try
            {
                var model = await grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key).GetModelAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return HealthCheckResult.Healthy($"plant model version {model.Version}");
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException)
            {
                return HealthCheckResult.Unhealthy("the silo does not answer", ex);
            }
        }
    }
}
