using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace MesOrleans.Testing;

/// <summary>
/// A device (or edge gateway) as the MQTT contract expects one: it publishes at QoS 1 with a window of messages in
/// flight, keeps every message until the broker acknowledged it, and after losing the connection connects again
/// (waiting for the broker to come back) and sends what was not acknowledged once more, in order.
/// </summary>
public sealed class ResendingDevice : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectPatience = TimeSpan.FromSeconds(120);

    private readonly int _port;
    private readonly string _clientId;
    private IMqttClient _client;
    private TaskCompletionSource? _held;

    private ResendingDevice(int port, string clientId)
    {
        _port = port;
        _clientId = clientId;
        _client = new MqttClientFactory().CreateMqttClient();
    }

    /// <summary>How many times the device had to connect again.</summary>
    public int Reconnects { get; private set; }

    public static async Task<ResendingDevice> ConnectAsync(int port, string? clientId = null)
    {
        var device = new ResendingDevice(port, clientId ?? "gateway-" + Guid.NewGuid().ToString("N")[..8]);
        await device.ConnectWhenPossibleAsync();
        return device;
    }

    /// <summary>
    /// Sends every message until each one is acknowledged. <paramref name="acknowledged"/> is called with the index
    /// of each message the broker acknowledged (from the publishing tasks: keep it quick and thread-safe). With an
    /// <paramref name="interval"/>, messages go out at a steady rate, message i not before i intervals from the start,
    /// as machines produce them; what waited for a reconnect goes at once.
    /// </summary>
    public async Task PublishAllAsync(
        IReadOnlyList<(string Topic, string Payload)> messages, int window, Action<int>? acknowledged = null, TimeSpan interval = default)
    {
        var unacknowledged = new SortedSet<int>(Enumerable.Range(0, messages.Count));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (unacknowledged.Count > 0)
        {
            var failed = false;
            using var slots = new SemaphoreSlim(window);
            var inFlight = new List<Task>();
            foreach (var index in unacknowledged.ToList())
            {
                await WhileHeldAsync();
                if (interval > TimeSpan.Zero && interval * index - clock.Elapsed is { Ticks: > 0 } early)
                {
                    await Task.Delay(early);
                }

                await slots.WaitAsync();
                if (Volatile.Read(ref failed))
                {
                    slots.Release();
                    break;
                }

                inFlight.Add(SendAsync(index));
            }

            await Task.WhenAll(inFlight);
            if (failed)
            {
                await ConnectWhenPossibleAsync();
                Reconnects++;
            }

            async Task SendAsync(int index)
            {
                try
                {
                    var (topic, payload) = messages[index];
                    var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
                        .WithTopic(topic)
                        .WithPayload(Encoding.UTF8.GetBytes(payload))
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build());
                    if (result.IsSuccess)
                    {
                        lock (unacknowledged)
                        {
                            unacknowledged.Remove(index);
                        }

                        acknowledged?.Invoke(index);
                    }
                    else
                    {
                        Volatile.Write(ref failed, true);
                    }
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    // The connection is gone: the message was not acknowledged and goes again after reconnecting.
                    Volatile.Write(ref failed, true);
                }
                finally
                {
                    slots.Release();
                }
            }
        }
    }

    /// <summary>Sends nothing new until the returned handle is disposed (what is in flight goes on).</summary>
    public IDisposable Hold()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _held, held);
        return new Release(() =>
        {
            Volatile.Write(ref _held, null);
            held.TrySetResult();
        });
    }

    /// <summary>Publishes one message and waits for its acknowledgement, connecting again if needed.</summary>
    public Task PublishAsync(string topic, string payload) => PublishAllAsync([(topic, payload)], 1);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private Task WhileHeldAsync() => Volatile.Read(ref _held)?.Task ?? Task.CompletedTask;

    private async Task ConnectWhenPossibleAsync()
    {
        var deadline = DateTime.UtcNow + ReconnectPatience;
        while (true)
        {
            _client.Dispose();
            _client = new MqttClientFactory().CreateMqttClient();
            try
            {
                await _client.ConnectAsync(new MqttClientOptionsBuilder()
                    .WithTcpServer("127.0.0.1", _port)
                    .WithClientId(_clientId)
                    .WithTimeout(TimeSpan.FromSeconds(10))
                    .Build());
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException && DateTime.UtcNow < deadline)
            {
                // The broker is not back yet.
                await Task.Delay(250);
            }
        }
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
