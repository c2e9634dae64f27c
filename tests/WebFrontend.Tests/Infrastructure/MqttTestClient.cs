using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;

namespace MesOrleans.WebFrontend.Tests.Infrastructure;

/// <summary>An MQTTnet client for broker tests that keeps every message it receives, in order.</summary>
public sealed class MqttTestClient : IDisposable
{
    private MqttTestClient(IMqttClient client) => Client = client;

    public IMqttClient Client { get; }

    public ConcurrentQueue<(string Topic, string Payload, bool Retained)> Received { get; } = new();

    /// <summary>Why the broker closed the connection, once it did.</summary>
    public MqttClientDisconnectReason? DisconnectReason { get; private set; }

    public static async Task<MqttTestClient> ConnectAsync(int port, Action<MqttClientOptionsBuilder>? configure = null)
    {
        var client = new MqttTestClient(new MqttClientFactory().CreateMqttClient());
        client.Client.ApplicationMessageReceivedAsync += e =>
        {
            client.Received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        client.Client.DisconnectedAsync += e =>
        {
            client.DisconnectReason = e.Reason;
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("test-" + Guid.NewGuid().ToString("N"));
        configure?.Invoke(options);
        var result = await client.Client.ConnectAsync(options.Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"Not connected: {result.ResultCode}");
        }

        return client;
    }

    public void Dispose() => Client.Dispose();
}
