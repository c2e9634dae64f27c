using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Mqtt;

/// <summary>
/// One client connection of the embedded broker, between MQTTnet's packet reader/writer and its server: it adds
/// what MQTTnet's server lacks and Mosquitto does. An MQTT 3.1.1 client with a clean session and no client id gets
/// one; the CONNACK tells MQTT 5 clients the broker's maximum packet size and topic aliases and that shared
/// subscriptions work; QoS 1/2 messages to an MQTT 5 client wait while its receive maximum of unacknowledged
/// messages is reached; a message larger than the client's maximum packet size or past its expiry is not sent;
/// a packet the guard refuses ends the connection with its reason; a DISCONNECT's session expiry interval counts;
/// shared subscriptions reach the server under a name its own refusal of them lets through.
/// <para>
/// It also lets the broker acknowledge a publish once its message is durable without holding up the connection:
/// MQTTnet reads a connection's packets one at a time and waits for the publish hook before it reads the next, so a
/// hook that waited for the queue's commit would give each message a commit of its own. Instead the hook hands the
/// message over and leaves its acknowledgement here (<see cref="AcknowledgeOnceDurable"/>); the PUBACK (or PUBREC)
/// goes out once the message is durable, in the order the publishes came, while the next publishes are read and
/// share the commit. An acknowledgement whose message could not be written is never sent, nor is any after it: the
/// connection is closed, and the device sends again what was not acknowledged.
/// </para>
/// </summary>
internal sealed partial class BrokerConnection(
    IMqttChannelAdapter inner,
    PacketGuard guard,
    int maxPacketSize,
    ClientQueues queues,
    MessageExpiry expiry,
    IBrokerConnectionObserver observer,
    ILogger logger) : IMqttChannelAdapter
{
    /// <summary>Topic aliases a client may set per connection (Mosquitto's default): each holds a topic in memory.</summary>
    public const ushort TopicAliasMaximum = 10;

    // Acknowledgements a connection may have waiting for their messages' commits; past it the hook waits itself, so a
    // client that ignores its in-flight window cannot make the broker hold more.
    private const int MaxWaitingAcknowledgements = 1_000;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private readonly Queue<(MqttPublishPacket Original, MqttPublishPacket Outgoing)> _waiting = new();
    private readonly Dictionary<ushort, MqttPublishPacket> _unacknowledged = [];
    private readonly Dictionary<ushort, Task> _durableBeforeAcknowledged = [];

    // The QoS 1/2 publish MQTTnet is handling: read last, its hook not yet returned.
    private MqttPublishPacket? _handling;
    private volatile bool _acknowledgementsStopped;

    private MqttConnectPacket? _connect;
    private MqttConnectPacket? _sessionConnect;
    private int _receiveMaximum = int.MaxValue;
    private uint _clientMaximumPacketSize;
    private MqttPacketFormatterAdapter? _sizer;

    /// <summary>The client id, once the client connected (assigned ones included).</summary>
    public string? ClientId { get; private set; }

    /// <summary>Nothing sent to this client waits for its acknowledgement, and nothing waits to be sent.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _unacknowledged.Count == 0 && _waiting.Count == 0;
            }
        }
    }

    public long BytesReceived => inner.BytesReceived;

    public long BytesSent => inner.BytesSent;

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    private bool IsMqtt5 => inner.PacketFormatterAdapter.ProtocolVersion == MqttProtocolVersion.V500;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public void ResetStatistics() => inner.ResetStatistics();

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        MqttPacket packet;
        try
        {
            packet = await inner.ReceivePacketAsync(cancellationToken);
        }
        catch (PacketRefusedException refused)
        {
            await RefuseAsync(refused);
            return null!;
        }
        catch (MqttProtocolViolationException) when (_connect is null && guard.ConnectsWithoutIdOrCleanSession)
        {
            // MQTT 3.1.1 asks for CONNACK "identifier rejected" here; MQTTnet refuses the CONNECT before answering.
            await inner.SendPacketAsync(new MqttConnAckPacket { ReturnCode = MqttConnectReturnCode.ConnectionRefusedIdentifierRejected }, cancellationToken);
            return null!;
        }

        _handling = null;
        switch (packet)
        {
            case MqttConnectPacket connect:
                Connecting(connect);
                break;
            case MqttPublishPacket { QualityOfServiceLevel: > MqttQualityOfServiceLevel.AtMostOnce } publish:
                _handling = publish;
                break;
            case MqttPubAckPacket ack:
                Acknowledged(ack.PacketIdentifier);
                break;
            case MqttPubCompPacket complete:
                Acknowledged(complete.PacketIdentifier);
                break;
            case MqttPubRecPacket { ReasonCode: >= MqttPubRecReasonCode.UnspecifiedError } refusedByClient:
                Acknowledged(refusedByClient.PacketIdentifier);
                break;
            case MqttSubscribePacket subscribe:
                subscribe.TopicFilters.ForEach(f => f.Topic = SharedSubscriptions.HandOver(f.Topic));
                break;
            case MqttUnsubscribePacket unsubscribe:
                unsubscribe.TopicFilters = unsubscribe.TopicFilters.Select(SharedSubscriptions.HandOver).ToList();
                break;
            case MqttDisconnectPacket when guard.DisconnectSessionExpiry is { } expiry:
                // MQTTnet reads the interval from the CONNECT packets: the session's, and this connection's when it
                // decides at the close whether the session outlives the connection.
                _connect!.SessionExpiryInterval = expiry;
                _sessionConnect?.SessionExpiryInterval = expiry;
                break;
        }

        return packet;
    }

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        switch (packet)
        {
            case MqttPublishPacket publish:
                return SendPublishAsync(publish, cancellationToken);
            case MqttConnAckPacket connAck:
                Connected(connAck);
                break;
            case MqttPubAckPacket ack:
                return SendAcknowledgementAsync(ack, ack.PacketIdentifier, cancellationToken);
            case MqttPubRecPacket received:
                return SendAcknowledgementAsync(received, received.PacketIdentifier, cancellationToken);
        }

        return inner.SendPacketAsync(packet, cancellationToken);
    }

    /// <summary>
    /// Called from the publish hook for the message it is handling: its acknowledgement waits for
    /// <paramref name="durable"/>. False when the hook must wait itself: the message is not the publish this connection
    /// is handling (the hook found another connection of the client), or too many acknowledgements wait already.
    /// </summary>
    public bool AcknowledgeOnceDurable(MqttApplicationMessage message, Task durable)
    {
        // MQTTnet makes the hook's message from the packet: the same topic string, aliases resolved.
        if (_handling is not { } publish || !ReferenceEquals(publish.Topic, message.Topic))
        {
            return message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce;
        }

        lock (_gate)
        {
            if (_durableBeforeAcknowledged.Count >= MaxWaitingAcknowledgements)
            {
                return false;
            }

            // A client that sends an identifier again before its acknowledgement breaks the protocol; both messages must be durable.
            _durableBeforeAcknowledged[publish.PacketIdentifier] =
                _durableBeforeAcknowledged.Remove(publish.PacketIdentifier, out var earlier) ? Task.WhenAll(earlier, durable) : durable;
        }

        return true;
    }

    // MQTTnet sends a connection's packets one at a time, acknowledgements in the order their publishes came: waiting
    // here keeps that order.
    private Task SendAcknowledgementAsync(MqttPacket acknowledgement, ushort packetIdentifier, CancellationToken cancellationToken)
    {
        Task? durable;
        lock (_gate)
        {
            _durableBeforeAcknowledged.Remove(packetIdentifier, out durable);
        }

        return durable is null && !_acknowledgementsStopped
            ? inner.SendPacketAsync(acknowledgement, cancellationToken)
            : SendOnceDurableAsync(acknowledgement, durable, cancellationToken);
    }

    private async Task SendOnceDurableAsync(MqttPacket acknowledgement, Task? durable, CancellationToken cancellationToken)
    {
        if (durable is not null && !_acknowledgementsStopped)
        {
            try
            {
                await durable.WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogNotDurable(logger, ex, ClientId);
                _acknowledgementsStopped = true;
            }
        }

        if (_acknowledgementsStopped)
        {
            // Nothing from here on is acknowledged: closing makes the device send it again once it reconnects.
            await inner.DisconnectAsync(CancellationToken.None);
            return;
        }

        await inner.SendPacketAsync(acknowledgement, cancellationToken);
    }

    public void Dispose()
    {
        observer.ConnectionEnded(this);
        inner.Dispose();
        _publishing.Dispose();
    }

    private void Connecting(MqttConnectPacket connect)
    {
        _connect = connect;
        if (IsMqtt5)
        {
            guard.IsMqtt5 = true;
            _receiveMaximum = connect.ReceiveMaximum == 0 ? ushort.MaxValue : connect.ReceiveMaximum;
            _clientMaximumPacketSize = connect.MaximumPacketSize;
        }
        else if (string.IsNullOrEmpty(connect.ClientId) && connect.CleanSession)
        {
            // MQTT 3.1.1 allows the server to assign an id to a clean session (MQTT 5 clients get theirs from the
            // server's validation); without a clean session the empty id stays and the client is refused.
            connect.ClientId = AssignedClientId();
        }

        ClientId = string.IsNullOrEmpty(connect.ClientId) ? null : connect.ClientId;
    }

    private void Connected(MqttConnAckPacket connAck)
    {
        if (connAck.ReasonCode != MqttConnectReasonCode.Success)
        {
            return;
        }

        connAck.MaximumPacketSize = (uint)maxPacketSize;
        connAck.TopicAliasMaximum = TopicAliasMaximum;
        connAck.SharedSubscriptionAvailable = true;
        ClientId ??= connAck.AssignedClientIdentifier;
        _sessionConnect = observer.SessionStarted(ClientId, connAck.IsSessionPresent, this, _connect!);
    }

    private async Task SendPublishAsync(MqttPublishPacket publish, CancellationToken cancellationToken)
    {
        await _publishing.WaitAsync(cancellationToken);
        try
        {
            var outgoing = expiry.ForDelivery(publish);
            if (outgoing is null || IsTooLargeForClient(outgoing))
            {
                // MQTT 5: a message the client cannot take is dropped as if it had been delivered.
                queues.Release(ClientId!, publish);
                return;
            }

            if (publish.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
            {
                await inner.SendPacketAsync(outgoing, cancellationToken);
                queues.Release(ClientId!, publish);
                return;
            }

            lock (_gate)
            {
                if (_waiting.Count > 0 || _unacknowledged.Count >= _receiveMaximum)
                {
                    _waiting.Enqueue((publish, outgoing));
                    return;
                }

                _unacknowledged[publish.PacketIdentifier] = publish;
            }

            await inner.SendPacketAsync(outgoing, cancellationToken);
        }
        finally
        {
            _publishing.Release();
        }
    }

    private void Acknowledged(ushort packetIdentifier)
    {
        bool sendWaiting;
        lock (_gate)
        {
            if (!_unacknowledged.Remove(packetIdentifier, out var delivered))
            {
                return;
            }

            queues.Release(ClientId!, delivered);
            sendWaiting = _waiting.Count > 0;
        }

        if (sendWaiting)
        {
            // Not awaited: the reader must go on reading while the writer may be blocked on a slow client.
            _ = SendWaitingAsync();
        }
    }

    private async Task SendWaitingAsync()
    {
        try
        {
            await _publishing.WaitAsync();
            try
            {
                while (true)
                {
                    MqttPublishPacket outgoing;
                    lock (_gate)
                    {
                        if (_waiting.Count == 0 || _unacknowledged.Count >= _receiveMaximum)
                        {
                            return;
                        }

                        var next = _waiting.Dequeue();
                        _unacknowledged[next.Original.PacketIdentifier] = next.Original;
                        outgoing = next.Outgoing;
                    }

                    await inner.SendPacketAsync(outgoing, CancellationToken.None);
                }
            }
            finally
            {
                _publishing.Release();
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException or MqttCommunicationException)
        {
            // The connection closed; MQTTnet sends what was not acknowledged again when the session resumes.
            LogWaitingNotSent(logger, ClientId);
        }
    }

    private bool IsTooLargeForClient(MqttPublishPacket packet)
    {
        if (_clientMaximumPacketSize == 0)
        {
            return false;
        }

        _sizer ??= new MqttPacketFormatterAdapter(MqttProtocolVersion.V500, new MqttBufferWriter(4096, 65535));
        try
        {
            return _sizer.Encode(packet).Length > _clientMaximumPacketSize;
        }
        finally
        {
            _sizer.Cleanup();
        }
    }

    private async Task RefuseAsync(PacketRefusedException refused)
    {
        LogRefused(logger, ClientId ?? RemoteEndPoint?.ToString(), refused.Message);
        if (!IsMqtt5)
        {
            return;
        }

        try
        {
            await inner.SendPacketAsync(new MqttDisconnectPacket { ReasonCode = refused.Reason, ReasonString = refused.Message }, CancellationToken.None);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException or MqttCommunicationException)
        {
            // The client is gone already; the connection closes either way.
        }
    }

    /// <summary>A client id for a client that sent none, in the form Mosquitto uses.</summary>
    public static string AssignedClientId() => "auto-" + Guid.NewGuid().ToString("D").ToUpperInvariant();

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT client {Client} disconnected: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? client, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message of MQTT client {Client} could not be made durable; closing the connection so that it sends what was not acknowledged again")]
    private static partial void LogNotDurable(ILogger logger, Exception exception, string? client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT client {Client} closed before its waiting messages were sent")]
    private static partial void LogWaitingNotSent(ILogger logger, string? client);
}

/// <summary>What the broker hears from its connections.</summary>
internal interface IBrokerConnectionObserver
{
    /// <summary>
    /// The connection began a session (a new one, or one that outlived an earlier connection); returns the CONNECT
    /// packet the session reads its expiry interval from.
    /// </summary>
    MqttConnectPacket SessionStarted(string clientId, bool resumed, BrokerConnection connection, MqttConnectPacket connect);

    /// <summary>The connection closed, whether or not it ever began a session.</summary>
    void ConnectionEnded(BrokerConnection connection);
}
