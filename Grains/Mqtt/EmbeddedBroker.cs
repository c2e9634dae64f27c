using System.Net;
using MesOrleans.Hosting;
using MesOrleans.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Orleans.Runtime;

namespace MesOrleans.Mqtt;

/// <summary>
/// The MQTTnet broker inside the silo (standalone default). Telemetry is taken in the broker's publish hook: a
/// QoS 1 publish is acknowledged only after the hook returns, that is after the Orleans stream took the event.
/// It listens once the silo is active and stops first on shutdown, so no message arrives at a stopping silo.
/// </summary>
internal sealed partial class EmbeddedBroker(
    TelemetryIngestion ingestion,
    MesReadiness readiness,
    IOptions<MqttOptions> options,
    ILogger<EmbeddedBroker> logger) : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private MqttServer? _server;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<EmbeddedBroker>(ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.EmbeddedBroker;
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Any)
            .WithDefaultEndpointPort(settings.Port)
            .WithMaxPendingMessagesPerClient(settings.MaxPendingMessagesPerClient)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.InterceptingPublishAsync += OnPublishAsync;
        if (settings.Username is not null)
        {
            _server.ValidatingConnectionAsync += e =>
            {
                var valid = e.UserName == settings.Username && e.Password == settings.Password;
                e.ReasonCode = valid ? MqttConnectReasonCode.Success : MqttConnectReasonCode.BadUserNameOrPassword;
                return Task.CompletedTask;
            };
        }

        await _server.StartAsync();
        readiness.Done(MesReadiness.Broker);
        LogListening(logger, settings.Port, settings.Username is null ? "anonymous clients" : "signed-in clients only");
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            await _server.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await StopAsync(CancellationToken.None);
            _server.Dispose();
        }
    }

    // The broker still delivers every message to its subscribers; ingestion only reads what it needs.
    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        try
        {
            await ingestion.IngestAsync(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not acknowledged: closing the connection makes a QoS 1 device send the message again when it reconnects.
            LogIngestFailed(logger, ex, e.ApplicationMessage.Topic, e.ClientId);
            e.ProcessPublish = false;
            e.CloseConnection = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry from {Topic} (client {Client}) could not be handed to the stream; closing the connection for redelivery")]
    private static partial void LogIngestFailed(ILogger logger, Exception exception, string topic, string client);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on port {Port} ({Clients})")]
    private static partial void LogListening(ILogger logger, int port, string clients);
}
