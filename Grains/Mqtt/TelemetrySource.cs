using MesOrleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace MesOrleans.Mqtt;

/// <summary>
/// Decides where a silo's telemetry comes from: the embedded broker, or else a bridge to an external broker. Never
/// both: the MQTTnet server has no shared subscriptions, so a bridge on it would ingest every message twice.
/// </summary>
internal sealed partial class TelemetrySource(
    IServiceProvider services,
    IOptions<MqttOptions> options,
    IOptions<MesOptions> mes,
    MesReadiness readiness,
    ILogger<TelemetrySource> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        var settings = options.Value;
        if (settings.EmbeddedBroker.RunsIn(mes.Value.Mode))
        {
            readiness.Expect(MesReadiness.Broker);
            services.GetRequiredService<EmbeddedBroker>().Participate(lifecycle);
        }
        else if (!string.IsNullOrWhiteSpace(settings.Host))
        {
            services.GetRequiredService<MqttBridge>().Participate(lifecycle);
        }
        else
        {
            LogNoSource(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No telemetry source: the embedded broker is off (Mes:Mqtt:EmbeddedBroker:Enabled, off by default in a cluster) and Mes:Mqtt:Host is not set")]
    private static partial void LogNoSource(ILogger logger);
}
