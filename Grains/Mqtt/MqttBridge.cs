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
/// <para>
/// The session is persistent and named after the silo (<c>mes-bridge-{silo name}</c>). Mosquitto keeps the messages
/// it sent a member of a shared subscription, and goes on queuing that member's share, while the member is away
/// (eclipse-mosquitto/mosquitto#2662): nothing goes to the other members. A silo restarted under the same name
/// resumes its session; a silo that stops hands its share back first (unsubscribe, take what is queued, end the
/// session); and the session of a silo that died is taken over by a survivor (see <c>MqttBridge.Sessions.cs</c>).
/// </para>
/// </summary>
internal sealed partial class MqttBridge(
    TelemetryIngestion ingestion,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    IOptions<MqttOptions> options,
    IOptions<MesOptions> mes,
    TimeProvider time,
    ILogger<MqttBridge> logger) : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>How long the broker keeps a bridge's session while the bridge is away.</summary>
    internal const uint SessionExpirySeconds = 3600;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    // Leaving: the share is handed back once nothing arrived for this long, and given up on after the longer bound.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FailureReportInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _leaving = new();
    private readonly SessionTraffic _traffic = new(time);
    private IMqttClient? _client;
    private Task? _loop;
    private Task? _watch;
    private volatile bool _subscribed;

    // The acknowledgement of the last message handed over: the next one goes out after it.
    private Task _acknowledged = Task.CompletedTask;
    private long _lastFailureReport;
    private long _unreportedFailures;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<MqttBridge>(ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>Connected and subscribed: the broker sends this silo its share (readiness waits for it).</summary>
    public bool IsConnected => _subscribed && _client?.IsConnected == true;

    /// <summary>The client id, and so the broker session, of the bridge of the silo named <paramref name="siloName"/>.</summary>
    internal static string ClientIdOf(string siloName) => $"mes-bridge-{siloName}";

    // A silo that serves some sites (Mes:Silo:Sites) takes only their telemetry; the others share the rest.
    private IReadOnlyList<string> Filters => mes.Value.Silo.Sites is { Count: > 0 } sites
        ? [.. sites.Select(site => $"$share/{options.Value.SharedSubscriptionGroup}/{options.Value.TopicPrefix}/{site}/#")]
        : [$"$share/{options.Value.SharedSubscriptionGroup}/{options.Value.TopicPrefix}/#"];

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e => OnMessageAsync(_client, _traffic, e);
        _loop = Task.Run(() => KeepConnectedAsync(_leaving.Token), CancellationToken.None);
        _watch = Task.Run(() => WatchForDeadSilosAsync(_leaving.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_leaving.IsCancellationRequested)
        {
            return;
        }

        await _leaving.CancelAsync();
        await Task.WhenAll(_loop ?? Task.CompletedTask, _watch ?? Task.CompletedTask);
        await EndTakeoversAsync();
        if (_client is { IsConnected: true } client)
        {
            var handedBack = await HandBackAsync(client, _traffic, cancellationToken);
            LogLeft(logger, handedBack);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _client?.Dispose();
        _leaving.Dispose();
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
                    _subscribed = false;
                    await ConnectAsync(_client, silo.Name, stopping);
                    await SubscribeAsync(_client, stopping);
                    _subscribed = true;
                    LogConnected(logger, settings.Host, settings.Port, string.Join(", ", Filters));
                    backoff = TimeSpan.FromMilliseconds(250);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), time, stopping);
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
                    await Task.Delay(backoff, time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Connects <paramref name="client"/> to the persistent session of the bridge of <paramref name="siloName"/>.</summary>
    private async Task ConnectAsync(IMqttClient client, string siloName, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, settings.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(ClientIdOf(siloName))
            .WithCleanStart(false)
            .WithSessionExpiryInterval(SessionExpirySeconds)
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

        await client.ConnectAsync(builder.Build(), cancellationToken);
    }

    private Task SubscribeAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in Filters)
        {
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        return client.SubscribeAsync(subscribe.Build(), cancellationToken);
    }

    // MQTTnet hands over one message at a time and waits for the handler: the handler only puts the message in the
    // queue (in arrival order), so that the messages in flight (up to MaxInFlight) share the queue's commits instead of
    // waiting for one commit each. A message is acknowledged only once it is durable, after the messages before it;
    // the acknowledgement is not cancelled by leaving, so that what is handled while the share is handed back is
    // acknowledged too. The payload is the message's own copy, safe to read after the handler returned.
    private async Task OnMessageAsync(IMqttClient client, SessionTraffic traffic, MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        traffic.Started();
        Task? durable;
        try
        {
            durable = await ingestion.HandOverAsync(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
        }
        catch (Exception ex)
        {
            NotTaken(client, traffic, ex, e.ApplicationMessage.Topic);
            return;
        }

        _acknowledged = AcknowledgeAsync(client, traffic, e, durable, _acknowledged);
    }

    private async Task AcknowledgeAsync(
        IMqttClient client, SessionTraffic traffic, MqttApplicationMessageReceivedEventArgs e, Task? durable, Task earlier)
    {
        try
        {
            try
            {
                if (durable is not null)
                {
                    await durable;
                }
            }
            catch (Exception ex)
            {
                NotTaken(client, traffic, ex, e.ApplicationMessage.Topic);
                return;
            }

            // Never fails: it catches what it meets.
            await earlier;
            await e.AcknowledgeAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The connection closed before the acknowledgement: the broker sends the message again (a duplicate the
            // machine recognises).
            LogAcknowledgeFailed(logger, ex, e.ApplicationMessage.Topic);
        }

        traffic.Finished();
    }

    // Not acknowledged: dropping the connection makes the broker deliver the message again after reconnecting.
    // Not awaited here: MQTTnet's disconnect waits for its message loop, which may be waiting for a handler.
    private void NotTaken(IMqttClient client, SessionTraffic traffic, Exception exception, string topic)
    {
        ReportIngestFailure(exception, topic);
        _ = Task.Run(() => DropAsync(client));
        traffic.Finished();
    }

    // While the queue is down, every message in flight fails: one line every few seconds says so, not one per message.
    private void ReportIngestFailure(Exception exception, string topic)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastFailureReport);
        if (last != 0 && time.GetElapsedTime(last, now) < FailureReportInterval)
        {
            Interlocked.Increment(ref _unreportedFailures);
            return;
        }

        if (Interlocked.CompareExchange(ref _lastFailureReport, now, last) == last)
        {
            LogIngestFailed(logger, exception, topic, Interlocked.Exchange(ref _unreportedFailures, 0));
        }
    }

    private async Task DropAsync(IMqttClient client)
    {
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Already gone: the broker redelivers what was not acknowledged all the same.
            LogDropFailed(logger, ex);
        }
    }

    /// <summary>
    /// Hands a session's share back to the other members: unsubscribes (the broker routes nothing new to it), takes
    /// what the broker had queued or sent, and ends the session once nothing more comes. When messages keep coming
    /// past the bound, the session is kept with what is left, for a silo of the same name or a survivor to take.
    /// </summary>
    private async Task<bool> HandBackAsync(IMqttClient client, SessionTraffic traffic, CancellationToken cancellationToken)
    {
        try
        {
            var unsubscribe = new MqttClientUnsubscribeOptionsBuilder();
            foreach (var filter in Filters)
            {
                unsubscribe.WithTopicFilter(filter);
            }

            await client.UnsubscribeAsync(unsubscribe.Build(), cancellationToken);
            var drained = await traffic.WaitQuietAsync(QuietPeriod, MaxDrain, cancellationToken);
            await client.DisconnectAsync(
                new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval(drained ? 0 : SessionExpirySeconds).Build(),
                cancellationToken);
            return drained;
        }
        catch (Exception ex)
        {
            // The broker is gone, took the session over, or the stop ran out of time: what was not acknowledged stays
            // in the session, for a silo of the same name or a survivor to take.
            LogHandBackFailed(logger, ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry from {Topic} could not be handed to the stream ({Unreported} more failures since the last report); reconnecting for redelivery")]
    private static partial void LogIngestFailed(ILogger logger, Exception exception, string topic, long unreported);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telemetry from {Topic} was queued but not acknowledged: the connection closed; the broker sends it again")]
    private static partial void LogAcknowledgeFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT bridge connection was already closing")]
    private static partial void LogDropFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT bridge connected to {Host}:{Port}, subscribed to {Filter}")]
    private static partial void LogConnected(ILogger logger, string? host, int port, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT bridge cannot reach {Host}:{Port}; retrying in {Backoff}")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception, string? host, int port, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT bridge left the shared subscription; session ended after taking what was queued: {HandedBack}")]
    private static partial void LogLeft(ILogger logger, bool handedBack);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT bridge could not hand its session back; what it holds is delivered to its successor")]
    private static partial void LogHandBackFailed(ILogger logger, Exception exception);
}
