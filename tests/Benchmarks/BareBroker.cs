using System.Net;
using MQTTnet.Server;

namespace MesOrleans.Benchmarks;

/// <summary>An MQTTnet broker with a given publish hook, for the ceilings the real path is compared with.</summary>
internal sealed class BareBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private BareBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public static async Task<BareBroker> StartAsync(Func<InterceptingPublishEventArgs, Task> hook)
    {
        var port = StandaloneSilo.FreePort();
        var server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .WithMaxPendingMessagesPerClient(250_000)
            .Build());
        server.InterceptingPublishAsync += hook;
        await server.StartAsync();
        return new BareBroker(server, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
