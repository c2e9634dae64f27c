using MesOrleans.Plant;
using MesOrleans.Telemetry.Queue;
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
        services.AddHealthChecks()
            .AddCheck<MesReadinessCheck>("mes", tags: ["ready"])
            .AddCheck<TelemetryQueueCheck>("telemetry-queue", tags: ["ready"]);
        return services;
    }

    public static IEndpointConventionBuilder MapMesHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(Path);

    /// <summary>
    /// The alarm of the telemetry queue in this process (none in a web app that is only a client): unhealthy when it
    /// acknowledges nothing more (backlog past its bound, or commits failing, e.g. a full disk), degraded while it slows
    /// devices down to the rate the machines keep up with.
    /// </summary>
    private sealed class TelemetryQueueCheck(IServiceProvider services, TimeProvider time) : IHealthCheck
    {
        private static readonly TimeSpan FailureMemory = TimeSpan.FromMinutes(1);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (services.GetService<TelemetryQueue>() is not { } queue)
            {
                return HealthCheckResult.Healthy("no telemetry queue in this process");
            }

            var status = await queue.StatusAsync();
            var data = new Dictionary<string, object> { ["depth"] = status.Depth, ["refused"] = status.Refused };
            if (status.OldestEnqueuedAt is { } oldest)
            {
                data["oldestEnqueuedAt"] = oldest;
            }

            return status switch
            {
                { LastFailure: { } failure } when time.GetUtcNow() - failure.At < FailureMemory =>
                    HealthCheckResult.Unhealthy($"the telemetry queue cannot store messages: {failure.Message}", data: data),
                { Full: true } =>
                    HealthCheckResult.Unhealthy($"the telemetry queue is full ({status.Depth:N0} undelivered): devices are not acknowledged", data: data),
                { Slowed: true } =>
                    HealthCheckResult.Degraded($"the telemetry queue holds {status.Depth:N0} undelivered messages: devices are slowed down", data: data),
                _ => HealthCheckResult.Healthy($"{status.Depth:N0} telemetry messages queued", data),
            };
        }
    }

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
