using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Server;

namespace MesOrleans.Mqtt;

/// <summary>
/// Bounds by bytes what the broker holds for each subscribing client: messages queued for it, and QoS 1/2
/// messages sent but not yet acknowledged. MQTTnet bounds its queue by count only, so a slow or absent subscriber
/// of large messages could fill the memory. A message that would pass the bound is not queued for that client
/// (as Mosquitto's <c>max_queued_bytes</c> does); the size counted is the topic's characters plus the payload's bytes.
/// </summary>
internal sealed class ClientQueues(IOptions<MqttOptions> options)
{
    private static readonly object Released = new();

    private readonly long _maxBytesPerClient = options.Value.EmbeddedBroker.MaxQueuedBytesPerClient;
    private readonly ConcurrentDictionary<string, ClientQueue> _clients = new(StringComparer.Ordinal);

    // A packet leaves the count once, however often MQTTnet hands it over (it re-sends unacknowledged ones).
    private readonly ConditionalWeakTable<MqttPublishPacket, object> _released = new();

    /// <summary>Counts a message for a client, or refuses it when the client's bound would be passed.</summary>
    public bool TryAdd(string clientId, MqttApplicationMessage message) =>
        _clients.GetOrAdd(clientId, static _ => new ClientQueue()).TryAdd(SizeOf(message.Topic, message.Payload.Length), _maxBytesPerClient);

    /// <summary>The packet left the broker's hands: a QoS 0 message was sent, a QoS 1/2 one acknowledged, or it was dropped.</summary>
    public void Release(string clientId, MqttPublishPacket packet)
    {
        if (_released.TryAdd(packet, Released) && _clients.TryGetValue(clientId, out var client))
        {
            client.Release(SizeOf(packet.Topic, packet.Payload.Length));
        }
    }

    /// <summary>A connection began a session: a new one starts empty; a resumed one lost its queued QoS 0 messages.</summary>
    public void SessionStarted(string clientId, bool resumed, BrokerConnection connection)
    {
        var client = _clients.GetOrAdd(clientId, static _ => new ClientQueue());
        client.Attach(connection, clear: !resumed);
    }

    /// <summary>The client subscribed: its session is where to look whether its queue is empty.</summary>
    public void Subscribed(string clientId, MqttSessionStatus session) =>
        _clients.GetOrAdd(clientId, static _ => new ClientQueue()).Session = session;

    public void ConnectionEnded(string clientId, BrokerConnection connection)
    {
        if (_clients.TryGetValue(clientId, out var client))
        {
            client.Detach(connection);
        }
    }

    public void SessionEnded(string clientId) => _clients.TryRemove(clientId, out _);

    /// <summary>The client's current connection, which sends what the broker tells it; null between connections.</summary>
    public BrokerConnection? ConnectionOf(string clientId) => _clients.TryGetValue(clientId, out var client) ? client.Connection : null;

    private static long SizeOf(string? topic, long payloadLength) => (topic?.Length ?? 0) + payloadLength;

    private sealed class ClientQueue
    {
        private readonly Lock _gate = new();
        private long _bytes;
        private BrokerConnection? _connection;

        public MqttSessionStatus? Session { get; set; }

        public BrokerConnection? Connection => Volatile.Read(ref _connection);

        public bool TryAdd(long size, long max)
        {
            lock (_gate)
            {
                // QoS 0 messages queued when a session resumes are dropped by MQTTnet without a word, so the count can
                // stand above what is held; an empty queue on a connected client shows the count is stale.
                if (_bytes + size > max && IsDrained())
                {
                    _bytes = 0;
                }

                if (_bytes + size > max)
                {
                    return false;
                }

                _bytes += size;
                return true;
            }
        }

        public void Release(long size)
        {
            lock (_gate)
            {
                _bytes = Math.Max(0, _bytes - size);
            }
        }

        public void Attach(BrokerConnection connection, bool clear)
        {
            lock (_gate)
            {
                _connection = connection;
                if (clear)
                {
                    _bytes = 0;
                    Session = null;
                }
            }
        }

        public void Detach(BrokerConnection connection)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_connection, connection))
                {
                    _connection = null;
                }
            }
        }

        private bool IsDrained() => _connection is { IsIdle: true } && Session is { PendingApplicationMessagesCount: 0 };
    }
}
