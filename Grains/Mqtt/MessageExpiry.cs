using System.Runtime.CompilerServices;
using MQTTnet;
using MQTTnet.Packets;

namespace MesOrleans.Mqtt;

/// <summary>
/// MQTT 5 message expiry, which MQTTnet's server does not apply: a message that waited for an offline subscriber
/// longer than its expiry interval is not delivered, and one that waited less goes out with the time it has left.
/// The arrival time is kept beside the message's user-property list, which every copy MQTTnet makes of the message
/// shares, so nothing extra travels on the wire.
/// </summary>
internal sealed class MessageExpiry(TimeProvider time)
{
    private readonly ConditionalWeakTable<List<MqttUserProperty>, object> _arrivals = new();

    /// <summary>Notes when a message with an expiry interval arrived.</summary>
    public void Stamp(MqttApplicationMessage message)
    {
        if (message.MessageExpiryInterval == 0)
        {
            return;
        }

        message.UserProperties ??= [];
        _arrivals.AddOrUpdate(message.UserProperties, time.GetTimestamp());
    }

    /// <summary>The packet to send, with the expiry interval it has left; null when it expired.</summary>
    public MqttPublishPacket? ForDelivery(MqttPublishPacket packet)
    {
        if (packet.MessageExpiryInterval == 0 || packet.UserProperties is null
            || !_arrivals.TryGetValue(packet.UserProperties, out var arrival))
        {
            return packet;
        }

        var waited = (long)time.GetElapsedTime((long)arrival).TotalSeconds;
        if (waited >= packet.MessageExpiryInterval)
        {
            return null;
        }

        return waited == 0 ? packet : new MqttPublishPacket
        {
            Topic = packet.Topic,
            Payload = packet.Payload,
            QualityOfServiceLevel = packet.QualityOfServiceLevel,
            Retain = packet.Retain,
            Dup = packet.Dup,
            PacketIdentifier = packet.PacketIdentifier,
            ContentType = packet.ContentType,
            CorrelationData = packet.CorrelationData,
            MessageExpiryInterval = packet.MessageExpiryInterval - (uint)waited,
            PayloadFormatIndicator = packet.PayloadFormatIndicator,
            ResponseTopic = packet.ResponseTopic,
            SubscriptionIdentifiers = packet.SubscriptionIdentifiers,
            TopicAlias = packet.TopicAlias,
            UserProperties = packet.UserProperties,
        };
    }
}
