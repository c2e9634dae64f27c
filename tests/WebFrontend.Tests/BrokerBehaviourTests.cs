using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>What the embedded broker does that MQTTnet's server does not on its own, as plants know it from Mosquitto.</summary>
public sealed class BrokerBehaviourTests : IAsyncLifetime
{
    private MesApp _app = null!;

    public Task InitializeAsync()
    {
        _app = MesApp.StartWith(Model, new Dictionary<string, string?>
        {
            ["Mes:Mqtt:EmbeddedBroker:RetainedTopics"] = "Telemetry",
            ["Mes:Mqtt:EmbeddedBroker:MaxRetainedMessages"] = "1",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_shared_subscription_hands_each_message_to_one_member_of_the_group()
    {
        using var first = await MqttTestClient.ConnectAsync(_app.BrokerPort);
        using var second = await MqttTestClient.ConnectAsync(_app.BrokerPort);
        using var publisher = await MqttTestClient.ConnectAsync(_app.BrokerPort);
        await first.Client.SubscribeAsync("$share/historians/scada/line1/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await second.Client.SubscribeAsync("$share/historians/scada/line1/#", MqttQualityOfServiceLevel.AtLeastOnce);

        for (var i = 0; i < 20; i++)
        {
            await publisher.Client.PublishStringAsync($"scada/line1/reading-{i}", $"{i}", MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var total = await Eventually.ReadAsync(() => Task.FromResult(first.Received.Count + second.Received.Count), n => n >= 20);
        var payloads = first.Received.Concat(second.Received).Select(m => m.Payload).ToList();

        Assert.Equal(20, total);
        Assert.Equal(20, payloads.Distinct().Count());
        Assert.NotEmpty(first.Received);
        Assert.NotEmpty(second.Received);
    }

    [Fact]
    public async Task Retained_messages_can_be_kept_for_telemetry_topics_only_and_within_the_bound()
    {
        using var publisher = await MqttTestClient.ConnectAsync(_app.BrokerPort);
        await Publish(publisher, "scada/banner", "not a telemetry topic", retain: true);
        await Publish(publisher, $"mes/{Site}/{Line}/{Press}/state", State("running"), retain: true);
        await Publish(publisher, $"mes/{Site}/{Line}/{Welder}/state", State("idle"), retain: true);

        using var dashboard = await MqttTestClient.ConnectAsync(_app.BrokerPort);
        await dashboard.Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("scada/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("mes/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        // The marker comes after every retained message the subscription brought, in the same queue.
        await Publish(publisher, "scada/marker", "end", retain: false);
        await Eventually.ReadAsync(() => Task.FromResult(dashboard.Received.Any(m => m.Topic == "scada/marker")), seen => seen);

        var retained = dashboard.Received.Where(m => m.Retained).Select(m => m.Topic).ToList();
        Assert.Equal([$"mes/{Site}/{Line}/{Press}/state"], retained);
    }

    [Fact]
    public async Task An_mqtt_311_client_without_an_id_is_given_one_with_a_clean_session_and_refused_without()
    {
        using var clean = new MqttClientFactory().CreateMqttClient();
        var accepted = await clean.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _app.BrokerPort).WithProtocolVersion(MqttProtocolVersion.V311).WithClientId("").WithCleanSession().Build());
        var publish = await clean.PublishStringAsync($"mes/{Site}/{Line}/{Press}/state", State("idle"), MqttQualityOfServiceLevel.AtLeastOnce);

        // MQTTnet's client will not send this CONNECT (MQTT 3.1.1, no client id, clean session off), so it goes as bytes.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _app.BrokerPort);
        await socket.SendAsync(new byte[] { 0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x00, 0x00, 0x3C, 0x00, 0x00 });
        var connAck = new byte[4];
        var read = await socket.ReceiveAsync(connAck);

        Assert.Equal(MqttClientConnectResultCode.Success, accepted.ResultCode);
        Assert.True(publish.IsSuccess);
        Assert.Equal(4, read);
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x02 }, connAck); // return code 2: identifier rejected
    }

    [Fact]
    public async Task An_mqtt_5_client_without_an_id_is_assigned_one_and_told_the_brokers_limits()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _app.BrokerPort).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("").Build());

        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        Assert.StartsWith("auto-", result.AssignedClientIdentifier);
        Assert.Equal(256u * 1024, result.MaximumPacketSize);
        Assert.True(result.SharedSubscriptionAvailable);
        Assert.Equal(10, result.TopicAliasMaximum);
    }

    private static Task Publish(MqttTestClient client, string topic, string payload, bool retain) =>
        client.Client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    private static string State(string state) => $$"""{"ts":"{{ShiftStart.AddMinutes(7):O}}","state":"{{state}}"}""";
}
