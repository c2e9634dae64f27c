using System.Diagnostics;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace MesOrleans.Benchmarks;

/// <summary>
/// Simulated machines publishing cumulative counts at QoS 1 over several MQTT connections. Each machine always
/// publishes on the same connection, so its messages arrive in order; each connection keeps a window of publishes
/// in flight. It keeps the ground truth: how many messages each machine sent.
/// </summary>
internal sealed class LoadGenerator : IAsyncDisposable
{
    private readonly List<IMqttClient> _clients = [];
    private readonly int _machines;
    private readonly Func<int, string> _machineId;
    private readonly long[] _sent;

    private LoadGenerator(int machines, Func<int, string> machineId)
    {
        _machines = machines;
        _machineId = machineId;
        _sent = new long[machines];
    }

    /// <summary>Messages each machine sent; the first is its baseline, so a machine's total grows by sent − 1.</summary>
    public IReadOnlyList<long> Sent => _sent;

    public static async Task<LoadGenerator> ConnectAsync(int port, int connections, int machines, Func<int, string> machineId)
    {
        var generator = new LoadGenerator(machines, machineId);
        for (var c = 0; c < connections; c++)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId($"bench-{c}-{Guid.NewGuid():N}")
                .WithTimeout(TimeSpan.FromSeconds(30))
                .Build());
            generator._clients.Add(client);
        }

        return generator;
    }

    /// <summary>Publishes for <paramref name="duration"/> at <paramref name="rate"/> messages/s in total (0: as fast as acknowledged).</summary>
    public async Task<LoadResult> RunAsync(double rate, TimeSpan duration, int window)
    {
        var acked = 0L;
        var failed = 0L;
        var stopwatch = Stopwatch.StartNew();
        var perClientRate = rate / _clients.Count;
        var runs = _clients.Select((client, c) => Task.Run(async () =>
        {
            var inFlight = new SemaphoreSlim(window);
            var pending = new List<Task>();
            var mine = Enumerable.Range(0, _machines).Where(m => m % _clients.Count == c).ToArray();
            var n = 0L;
            while (stopwatch.Elapsed < duration)
            {
                if (perClientRate > 0)
                {
                    // Read the clock once: read twice, the wait could come out negative and throw.
                    var wait = TimeSpan.FromSeconds(n / perClientRate) - stopwatch.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }

                var machine = mine[n % mine.Length];
                n++;
                var total = Interlocked.Increment(ref _sent[machine]);
                var payload = $$"""{"ts":"{{DateTimeOffset.UtcNow:O}}","total":{{total}}}""";
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic($"mes/{_machineId(machine)}/count")
                    .WithPayload(Encoding.UTF8.GetBytes(payload))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                await inFlight.WaitAsync();
                pending.Add(Publish(client, message, inFlight));
                if (pending.Count > 4 * window)
                {
                    pending.RemoveAll(t => t.IsCompleted);
                }
            }

            await Task.WhenAll(pending);
        })).ToList();

        async Task Publish(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim inFlight)
        {
            try
            {
                var result = await client.PublishAsync(message);
                Interlocked.Increment(ref result.IsSuccess ? ref acked : ref failed);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                inFlight.Release();
            }
        }

        await Task.WhenAll(runs);
        return new LoadResult(acked, failed, stopwatch.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisconnectAsync();
            client.Dispose();
        }
    }
}

internal sealed record LoadResult(long Acked, long Failed, TimeSpan Elapsed)
{
    public double Rate => Acked / Elapsed.TotalSeconds;
}
