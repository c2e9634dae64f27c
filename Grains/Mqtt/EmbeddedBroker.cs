using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using MesOrleans.Devices;
using MesOrleans.Hosting;
using MesOrleans.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Adapter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Orleans.Runtime;

namespace MesOrleans.Mqtt;

/// <summary>
/// The MQTTnet broker inside the silo (standalone default). Telemetry is taken in the broker's publish hook, which
/// puts it in the telemetry stream's queue; a QoS 1/2 publish is acknowledged only once its message is durable there
/// (<see cref="BrokerConnection.AcknowledgeOnceDurable"/>). MQTTnet handles one connection's packets one at a time
/// and waits for that hook, so the hook only hands the message over, and everything else it decides (who may publish
/// where, retained limits, shared subscriptions) comes from memory.
/// It listens once the silo is active and stops first on shutdown, so no message arrives at a stopping silo.
/// </summary>
internal sealed partial class EmbeddedBroker(
    TelemetryIngestion ingestion,
    MesReadiness readiness,
    BrokerAccess access,
    DeviceAccountDirectory accounts,
    ClientQueues queues,
    SharedSubscriptions shared,
    IOptions<MqttOptions> options,
    TimeProvider time,
    ILogger<EmbeddedBroker> logger) : ILifecycleParticipant<ISiloLifecycle>, IBrokerConnectionObserver, IAsyncDisposable
{
    // Accounts changed on another silo reach this one's copy at the latest after this long; expired sessions of
    // clients that never came back are removed as often.
    private static readonly TimeSpan HousekeepingInterval = TimeSpan.FromSeconds(30);

    // The session item that holds a client's principal.
    private static readonly object PrincipalKey = new();

    private readonly EmbeddedBrokerOptions _settings = options.Value.EmbeddedBroker;
    private readonly MessageExpiry _expiry = new(time);
    private readonly SessionExpiry _sessions = new(time);
    private readonly RetainedMessageLimits _retained = new(options.Value.EmbeddedBroker, options.Value.TopicPrefix, time, logger);

    // Principals between the connection's validation and its session: a resumed session keeps its old items.
    private readonly ConcurrentDictionary<EndPoint, BrokerPrincipal> _signingIn = new();

    private MqttServer? _server;
    private ITimer? _housekeeping;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<EmbeddedBroker>(ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before listening: a device must not get in anonymously while the accounts load.
        await accounts.RefreshAsync();
        accounts.Changed += OnAccountsChanged;
        _housekeeping = time.CreateTimer(_ => _ = KeepHouseAsync(), null, HousekeepingInterval, HousekeepingInterval);

        var serverOptions = new MqttServerOptionsBuilder()
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(_settings.MaxPendingMessagesPerClient)
            .Build();
        var listener = new BrokerListener(_settings, Connect, time, logger);
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, [listener]);
        _server.ValidatingConnectionAsync += OnValidatingConnectionAsync;
        _server.ClientConnectedAsync += OnClientConnectedAsync;
        _server.ClientDisconnectedAsync += OnClientDisconnectedAsync;
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.InterceptingSubscriptionAsync += OnSubscribingAsync;
        _server.InterceptingUnsubscriptionAsync += OnUnsubscribingAsync;
        _server.InterceptingClientEnqueueAsync += OnEnqueueingAsync;
        _server.QueuedApplicationMessageOverwrittenAsync += OnQueueOverflowAsync;
        _server.SessionDeletedAsync += OnSessionDeletedAsync;

        await _server.StartAsync();
        readiness.Done(MesReadiness.Broker);
        LogListening(logger, _settings.BindAddress, _settings.Port, access.SignInRequired ? "signed-in clients only" : "anonymous clients");
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        accounts.Changed -= OnAccountsChanged;
        if (_housekeeping is not null)
        {
            await _housekeeping.DisposeAsync();
        }

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

    private BrokerConnection Connect(IMqttChannelAdapter channel, PacketGuard guard) =>
        new(channel, guard, _settings.MaxPacketSize, queues, _expiry, this, logger);

    public MqttConnectPacket SessionStarted(string clientId, bool resumed, BrokerConnection connection, MqttConnectPacket connect)
    {
        queues.SessionStarted(clientId, resumed, connection);
        if (!resumed)
        {
            shared.Forget(clientId);
        }

        return _sessions.Started(clientId, resumed, connect);
    }

    public void ConnectionEnded(BrokerConnection connection)
    {
        // A connection that closed between its sign-in and its session leaves no principal behind.
        _signingIn.TryRemove(connection.RemoteEndPoint, out _);
        if (connection.ClientId is { } clientId)
        {
            queues.ConnectionEnded(clientId, connection);
        }
    }

    private Task OnValidatingConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var principal = access.SignIn(e.UserName, e.RawPassword);
        if (principal is null)
        {
            e.ReasonCode = string.IsNullOrEmpty(e.UserName) ? MqttConnectReasonCode.NotAuthorized : MqttConnectReasonCode.BadUserNameOrPassword;
            LogSignInRefused(logger, e.ClientId, e.UserName, e.RemoteEndPoint?.ToString());
            return Task.CompletedTask;
        }

        if (string.IsNullOrEmpty(e.ClientId) && e.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500)
        {
            e.AssignedClientIdentifier = BrokerConnection.AssignedClientId();
        }

        _signingIn[e.RemoteEndPoint] = principal;
        return Task.CompletedTask;
    }

    private Task OnClientConnectedAsync(ClientConnectedEventArgs e)
    {
        if (_signingIn.TryRemove(e.RemoteEndPoint, out var principal))
        {
            e.SessionItems[PrincipalKey] = principal;
        }

        shared.Connected(e.ClientId);
        return Task.CompletedTask;
    }

    private Task OnClientDisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        // A session taken over by a new connection of the same client is still connected.
        if (e.DisconnectType != MqttClientDisconnectType.Takeover)
        {
            shared.Disconnected(e.ClientId);
        }

        return Task.CompletedTask;
    }

    // The broker still delivers every message to its subscribers; ingestion only reads what it needs.
    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (!access.MayPublish(PrincipalOf(e.SessionItems), message.Topic) || SharedSubscriptions.IsShared(message.Topic))
        {
            // Not ingested and not delivered; MQTT 5 clients read why in the PUBACK, 3.1.1 ones cannot be told.
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            WarnPublishRefused(e, message.Topic);
            return;
        }

        _expiry.Stamp(message);
        try
        {
            // The acknowledgement waits for the commit, not the hook: the connection's next publishes share it.
            if (await ingestion.HandOverAsync(message.Topic, message.Payload) is { } durable
                && queues.ConnectionOf(e.ClientId)?.AcknowledgeOnceDurable(message, durable) != true)
            {
                await durable;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not acknowledged: closing the connection makes a QoS 1 device send the message again when it reconnects.
            LogIngestFailed(logger, ex, message.Topic, e.ClientId);
            e.ProcessPublish = false;
            e.CloseConnection = true;
            return;
        }

        _retained.Admit(message);
        shared.Deliver(message);
    }

    private Task OnSubscribingAsync(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        var principal = PrincipalOf(e.SessionItems);
        var isShared = SharedSubscriptions.IsShared(filter);
        var group = "";
        var matched = filter;
        if (isShared && !SharedSubscriptions.TryParse(filter, out group, out matched))
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.TopicFilterInvalid;
            e.ProcessSubscription = false;
            return Task.CompletedTask;
        }

        if (!access.MaySubscribe(principal, matched))
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.ProcessSubscription = false;
            LogSubscribeRefused(logger, e.ClientId, principal?.ToString(), isShared ? $"$share/{group}/{matched}" : filter);
            return Task.CompletedTask;
        }

        if (isShared)
        {
            shared.Subscribe(e.ClientId, filter, e.TopicFilter.QualityOfServiceLevel, e.Session);
        }

        queues.Subscribed(e.ClientId, e.Session);
        return Task.CompletedTask;
    }

    private Task OnUnsubscribingAsync(InterceptingUnsubscriptionEventArgs e)
    {
        if (SharedSubscriptions.IsShared(e.Topic))
        {
            shared.Unsubscribe(e.ClientId, e.Topic);
        }

        return Task.CompletedTask;
    }

    private Task OnEnqueueingAsync(InterceptingClientApplicationMessageEnqueueEventArgs e)
    {
        e.AcceptEnqueue = queues.TryAdd(e.ReceiverClientId, e.ApplicationMessage);
        return Task.CompletedTask;
    }

    private Task OnQueueOverflowAsync(QueueMessageOverwrittenEventArgs e)
    {
        if (e.Packet is MqttPublishPacket dropped)
        {
            queues.Release(e.ReceiverClientId, dropped);
        }

        return Task.CompletedTask;
    }

    private Task OnSessionDeletedAsync(SessionDeletedEventArgs e)
    {
        queues.SessionEnded(e.Id);
        shared.Forget(e.Id);
        _sessions.Ended(e.Id);
        return Task.CompletedTask;
    }

    private void OnAccountsChanged() => _ = DisconnectSignedOutAsync();

    // A deleted or re-issued account, or the first account while anonymous clients are connected: those clients go.
    private async Task DisconnectSignedOutAsync()
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }

        try
        {
            foreach (var client in await server.GetClientsAsync())
            {
                if (PrincipalOf(client.Session.Items) is { } principal && !access.StillSignedIn(principal))
                {
                    LogSignedOut(logger, client.Id, principal.ToString());
                    await client.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized });
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSignOutFailed(logger, ex);
        }
    }

    private async Task KeepHouseAsync()
    {
        try
        {
            await accounts.RefreshAsync();
            if (_server is { IsStarted: true } server)
            {
                await _sessions.SweepAsync(server);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogHousekeepingFailed(logger, ex);
        }
    }

    private void WarnPublishRefused(InterceptingPublishEventArgs e, string topic)
    {
        // Once per session: a misconfigured device repeats itself many times a second.
        if (e.SessionItems.Contains(nameof(WarnPublishRefused)))
        {
            return;
        }

        e.SessionItems[nameof(WarnPublishRefused)] = true;
        LogPublishRefused(logger, e.ClientId, PrincipalOf(e.SessionItems)?.ToString(), topic);
    }

    private static BrokerPrincipal? PrincipalOf(IDictionary sessionItems) => sessionItems[PrincipalKey] as BrokerPrincipal;

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry from {Topic} (client {Client}) could not be handed to the stream; closing the connection for redelivery")]
    private static partial void LogIngestFailed(ILogger logger, Exception exception, string topic, string client);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address} port {Port} ({Clients})")]
    private static partial void LogListening(ILogger logger, string address, int port, string clients);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT client {Client} refused: user name '{UserName}' from {Remote} did not sign in")]
    private static partial void LogSignInRefused(ILogger logger, string client, string? userName, string? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT client {Client} ({Principal}) may not publish to {Topic}: dropped, not ingested (further refusals of this session are not logged)")]
    private static partial void LogPublishRefused(ILogger logger, string client, string? principal, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT client {Client} ({Principal}) may not subscribe to {Filter}")]
    private static partial void LogSubscribeRefused(ILogger logger, string client, string? principal, string filter);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client {Client} ({Principal}) disconnected: its sign-in is no longer valid")]
    private static partial void LogSignedOut(ILogger logger, string client, string principal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not disconnect MQTT clients whose sign-in is no longer valid")]
    private static partial void LogSignOutFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the device accounts or sweep expired sessions; the broker keeps what it has and tries again")]
    private static partial void LogHousekeepingFailed(ILogger logger, Exception exception);
}
