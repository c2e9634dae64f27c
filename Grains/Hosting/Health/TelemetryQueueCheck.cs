using MesOrleans.Telemetry.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MesOrleans.Hosting.Health;

/// <summary>
/// The alarm of the telemetry queue in this process (none in a web app that is only a client): unhealthy when it
/// acknowledges nothing more (backlog past its bound, or commits failing, e.g. a full disk), degraded while it slows
/// devices down to the rate the machines keep up with.
/// </summary>
internal sealed class TelemetryQueueCheck(IServiceProvider services, TimeProvider time) : IHealthCheck
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
