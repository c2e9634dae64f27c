using System.Collections.Concurrent;
using System.Text;
using MesOrleans.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MesOrleans.Cluster.Tests.Failures;

/// <summary>
/// What Mosquitto does with a member of a shared subscription that dies holding unacknowledged messages
/// (eclipse-mosquitto/mosquitto#2662), measured with plain MQTT clients: the reason the silos' bridges name their
/// sessions after the silo and a survivor takes over a dead silo's session.
/// </summary>
public sealed class SharedSubscriptionSessionTests
{
    private const string Filter = "$share/silos/probe/#";
    private const int Messages = 40;

    [SkippableFact]
    public async Task Mosquitto_keeps_a_dead_members_share_in_its_session_until_a_client_with_its_id_resumes_it()
    {
        RequiredComponent.SkipOrFailIfMissing(Mosquitto.Missing);
        await using var broker = await Mosquitto.StartAsync();
        var survivor = new ConcurrentBag<string>();
        using var alive = await SubscribeAsync(broker, "member-alive", survivor, acknowledge: true);

        // The dying member takes messages and never acknowledges them: it crashed before its durable write.
        var dying = await SubscribeAsync(broker, "member-dying", new ConcurrentBag<string>(), acknowledge: false);
        using var device = new MqttClientFactory().CreateMqttClient();
        await device.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithProtocolVersion(MqttProtocolVersion.V500).Build());
        for (var i = 0; i < Messages / 2; i++)
        {
            await PublishAsync(device, i);
        }

        // Gone without a DISCONNECT, as a killed process is; the broker keeps routing a share to its session.
        dying.Dispose();
        for (var i = Messages / 2; i < Messages; i++)
        {
            await PublishAsync(device, i);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.InRange(survivor.Count, 1, Messages - 1);
        var stranded = Messages - survivor.Count;

        // A client with the dead member's id resumes its session: it gets what was sent and never acknowledged, and
        // what was queued since.
        var resumed = new ConcurrentBag<string>();
        using var successor = await SubscribeAsync(broker, "member-dying", resumed, acknowledge: true, subscribe: false);
        var all = await Eventually.ReadAsync(() => Task.FromResult(resumed.Count), n => n >= stranded, TimeSpan.FromSeconds(10));
        Assert.Equal(stranded, all);
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"m{i}").Order(), survivor.Concat(resumed).Order());
    }

    private static async Task<IMqttClient> SubscribeAsync(
        Mosquitto broker, string clientId, ConcurrentBag<string> received, bool acknowledge, bool subscribe = true)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;
            if (acknowledge)
            {
                received.Add(e.ApplicationMessage.ConvertPayloadToString());
                await e.AcknowledgeAsync(CancellationToken.None);
            }
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .Build());
        if (subscribe)
        {
            await client.SubscribeAsync(Filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        return client;
    }

    private static async Task PublishAsync(IMqttClient device, int i)
    {
        var result = await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"probe/{i}")
            .WithPayload(Encoding.UTF8.GetBytes($"m{i}"))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.True(result.IsSuccess, $"publish {i}: {result.ReasonCode}");
    }
}
