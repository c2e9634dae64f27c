using System.Collections.Concurrent;
using MQTTnet.Packets;
using MQTTnet.Server;

namespace MesOrleans.Mqtt;

/// <summary>
/// MQTT 5 session expiry as the standard has it, where MQTTnet's server falls short: it keeps the expiry interval of
/// the CONNECT that created a session, ignoring a later CONNECT's and the DISCONNECT's, and it removes an expired
/// session only when its client comes back. MQTTnet reads the interval from that first CONNECT packet, so the
/// newest interval is written into it; and expired sessions are swept out now and then, with their queues.
/// </summary>
internal sealed class SessionExpiry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, MqttConnectPacket> _sessionConnects = new(StringComparer.Ordinal);

    /// <summary>
    /// A connection began a session; returns the CONNECT packet the session reads its expiry from, now carrying
    /// this connection's interval.
    /// </summary>
    public MqttConnectPacket Started(string clientId, bool resumed, MqttConnectPacket connect)
    {
        if (!resumed || !_sessionConnects.TryGetValue(clientId, out var sessionConnect))
        {
            _sessionConnects[clientId] = connect;
            return connect;
        }

        sessionConnect.SessionExpiryInterval = connect.SessionExpiryInterval;
        return sessionConnect;
    }

    public void Ended(string clientId) => _sessionConnects.TryRemove(clientId, out _);

    /// <summary>Deletes the disconnected sessions whose expiry interval has passed.</summary>
    public async Task SweepAsync(MqttServer server)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var session in await server.GetSessionsAsync())
        {
            if (session is { DisconnectedTimestamp: { } since, ExpiryInterval: > 0 and < uint.MaxValue }
                && since.AddSeconds(session.ExpiryInterval) < now)
            {
                await session.DeleteAsync();
            }
        }
    }
}
