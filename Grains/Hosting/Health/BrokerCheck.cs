using MesOrleans.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MesOrleans.Hosting.Health;

/// <summary>
/// A silo that takes telemetry from an external broker is connected to it (the bridge reconnects by itself; while it
/// is away, devices' messages wait in the broker). The embedded broker's listening is part of readiness.
/// </summary>
internal sealed class BrokerCheck(IServiceProvider services, IOptions<MqttOptions> mqtt, IOptions<MesOptions> mes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = mqtt.Value;
        if (settings.EmbeddedBroker.RunsIn(mes.Value.Mode) || string.IsNullOrWhiteSpace(settings.Host)
            || services.GetService<MqttBridge>() is not { } bridge)
        {
            return Task.FromResult(HealthCheckResult.Healthy("no external broker in this process"));
        }

        return Task.FromResult(bridge.IsConnected
            ? HealthCheckResult.Healthy($"connected to {settings.Host}:{settings.Port}")
            : HealthCheckResult.Unhealthy($"not connected to the broker at {settings.Host}:{settings.Port}; reconnecting"));
    }
}
