using MesOrleans.Plant;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MesOrleans.Hosting.Health;

/// <summary>Ready when the plant model is applied and a grain answers.</summary>
internal sealed class ReadinessCheck(MesReadiness readiness, IGrainFactory grains) : IHealthCheck
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
