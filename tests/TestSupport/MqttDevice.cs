using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace MesOrleans.Testing;

/// <summary>A device on the embedded broker: an MQTTnet client that publishes at QoS 1 and waits for the PUBACK.</summary>
public sealed class MqttDevice : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    private MqttDevice()
    {
    }

    public static async Task<MqttDevice> ConnectAsync(int port)
    {
        var device = new MqttDevice();
        await device._client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("test-device-" + Guid.NewGuid().ToString("N"))
            .Build());
        return device;
    }

    /// <summary>Publishes and returns once the broker acknowledged (after ingestion handed it to the stream).</summary>
    public async Task PublishAsync(string topic, string payload)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Publish to {topic} failed: {result.ReasonCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
    }
}
