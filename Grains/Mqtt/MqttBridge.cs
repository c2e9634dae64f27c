using MesOrleans.Hosting;
using MesOrleans.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Orleans.Runtime;

namespace MesOrleans.Mqtt;

/// <summary>
/// One per silo when telemetry comes from an external broker: an MQTT 5 shared subscription, so that N silos split
/// the traffic and each message is applied once; QoS 1 acknowledged by hand only after the stream took the event;
/// at most <see cref="MqttOptions.MaxInFlight"/> unacknowledged messages, so overload makes the broker queue.
/// MQTTnet 5 has no managed client: this class is the reconnect loop.
/// </summary>
internal sealed partial class MqttBridge(
    TelemetryIngestion ingestion,
    ILocalSiloDetails silo,
    IOptions<MqttOptions> options,
    IOptions<MesOptions> mes,
    ILogger<MqttBridge> logger) : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stopping = new();
    private IMqttClient? _client;
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<MqttBridge>(ServiceLifecycleStage.Active, StartAsync, StopAsync);

    public bool IsConnected => _client?.IsConnected == true;

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _loop = Task.Run(() => KeepConnectedAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        if (_client is { IsConnected: true })
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync(CancellationToken.None);
        }

        _client?.Dispose();
        _stopping.Dispose();
    }

    private async Task KeepConnectedAsync(CancellationToken stopping)
    {
        var settings = options.Value;
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!_client!.IsConnected)
                {
                    await ConnectAsync(settings, stopping);
                    backoff = TimeSpan.FromMilliseconds(250);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogConnectFailed(logger, ex, settings.Host, settings.Port, backoff);
                try
                {
                    await Task.Delay(backoff, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task ConnectAsync(MqttOptions settings, CancellationToken cancellationToken)
    {
        // A persistent session per silo: messages for this silo's share wait at the broker while it reconnects.
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, settings.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"mes-bridge-{silo.Name}")
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithReceiveMaximum((ushort)settings.MaxInFlight)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (settings.Username is not null)
        {
            builder.WithCredentials(settings.Username, settings.Password);
        }

        if (settings.UseTls)
        {
            builder.WithTlsOptions(tls => tls.UseTls());
        }

        await _client!.ConnectAsync(builder.Build(), cancellationToken);

        // A silo that serves some sites (Mes:Silo:Sites) takes only their telemetry; the others share the rest.
        var sites = mes.Value.Silo.Sites;
        var filters = sites.Count == 0
            ? [$"$share/{settings.SharedSubscriptionGroup}/{settings.TopicPrefix}/#"]
            : sites.Select(site => $"$share/{settings.SharedSubscriptionGroup}/{settings.TopicPrefix}/{site}/#").ToList();
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in filters)
        {
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
        LogConnected(logger, settings.Host, settings.Port, string.Join(", ", filters));
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        try
        {
            await ingestion.IngestAsync(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            // Not acknowledged: dropping the connection makes the broker deliver the message again after reconnecting.
            LogIngestFailed(logger, ex, e.ApplicationMessage.Topic);
            await _client!.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            return;
        }

        await e.AcknowledgeAsync(_stopping.Token);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry from {Topic} could not be handed to the stream; reconnecting for redelivery")]
    private static partial void LogIngestFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT bridge connected to {Host}:{Port}, subscribed to {Filter}")]
    private static partial void LogConnected(ILogger logger, string? host, int port, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT bridge cannot reach {Host}:{Port}; retrying in {Backoff}")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception, string? host, int port, TimeSpan backoff);
}
