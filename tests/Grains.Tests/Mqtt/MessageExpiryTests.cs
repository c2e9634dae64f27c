using MesOrleans.Mqtt;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Packets;

namespace MesOrleans.Tests.Mqtt;

public sealed class MessageExpiryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_message_goes_out_with_the_time_it_has_left_and_not_at_all_once_expired()
    {
        var expiry = new MessageExpiry(_time);
        var message = new MqttApplicationMessageBuilder().WithTopic("scada/alarm").WithPayload("hot").WithMessageExpiryInterval(10).Build();
        expiry.Stamp(message);
        var queued = PacketOf(message);

        Assert.Same(queued, expiry.ForDelivery(queued));
        _time.Advance(TimeSpan.FromSeconds(3));
        var later = expiry.ForDelivery(queued);
        _time.Advance(TimeSpan.FromSeconds(7));
        var expired = expiry.ForDelivery(queued);

        Assert.Equal(7u, later!.MessageExpiryInterval);
        Assert.Equal(10u, queued.MessageExpiryInterval);
        Assert.Equal(queued.Topic, later.Topic);
        Assert.Null(expired);
    }

    [Fact]
    public void A_message_without_an_expiry_interval_is_left_alone()
    {
        var expiry = new MessageExpiry(_time);
        var message = new MqttApplicationMessageBuilder().WithTopic("scada/alarm").WithPayload("hot").Build();
        expiry.Stamp(message);
        var queued = PacketOf(message);
        _time.Advance(TimeSpan.FromDays(1));

        Assert.Same(queued, expiry.ForDelivery(queued));
        Assert.Null(message.UserProperties);
    }

    // What MQTTnet's server queues for a subscriber: a copy that shares the message's user-property list.
    private static MqttPublishPacket PacketOf(MqttApplicationMessage message) => new()
    {
        Topic = message.Topic,
        Payload = message.Payload,
        MessageExpiryInterval = message.MessageExpiryInterval,
        UserProperties = message.UserProperties,
    };
}
