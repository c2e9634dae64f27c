using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Server;

namespace MesOrleans.Simulator.Tests.Publishing;

/// <summary>
/// An MQTTnet 5 broker on a free loopback port that keeps every message published to it. A QoS 1 publish is
/// acknowledged only after the interceptor returned, so an acknowledged message is already here.
/// </summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly ConcurrentQueue<(string Topic, string Payload)> _messages = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<IReadOnlyCollection<(string Topic, string Payload)>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    private TestBroker(int port)
    {
        Port = port;
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithDefaultEndpointReuseAddress()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.InterceptingPublishAsync += args =>
        {
            _messages.Enqueue((args.ApplicationMessage.Topic, args.ApplicationMessage.ConvertPayloadToString()));
            Signal();
            return Task.CompletedTask;
        };
    }

    public int Port { get; }

    public BrokerEndpoint Endpoint => new("127.0.0.1", Port);

    public IReadOnlyCollection<(string Topic, string Payload)> Messages => _messages;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a broker on <paramref name="port"/>, or on a free port.</summary>
    public static async Task<TestBroker> StartAsync(int? port = null)
    {
        var broker = new TestBroker(port ?? FreePort());
        await broker._server.StartAsync();
        return broker;
    }

    /// <summary>Completes once the messages so far satisfy <paramref name="condition"/>; fails after the safety timeout.</summary>
    public Task WhenAsync(Func<IReadOnlyCollection<(string Topic, string Payload)>, bool> condition, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition(_messages))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((condition, done));
        }

        return done.Task.WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }

    private void Signal()
    {
        lock (_lock)
        {
            foreach (var waiter in _waiters.Where(w => w.Condition(_messages)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
