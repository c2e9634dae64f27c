using System.Text.Json;
using MesOrleans.Machines;
using MesOrleans.Testing;

namespace MesOrleans.Cluster.Tests.Failures;

/// <summary>
/// What a gateway for the machines of <see cref="FailurePlant"/> sends: cumulative part counters with a per-machine
/// <c>seq</c>, at QoS 1, at a steady rate, re-sending what was not acknowledged after a reconnect. Counter k of a
/// machine is k: the first message is the baseline, so a machine that sent n messages produced n - 1 parts. It keeps
/// the highest counter the broker acknowledged per machine: once the broker acknowledged it, it must be applied.
/// </summary>
internal sealed class CountTraffic : IAsyncDisposable
{
    private static readonly int MachineCount = FailurePlant.Machines.Count;

    private readonly int _perMachine;
    private readonly long[] _acknowledged = new long[MachineCount];
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow.AddMinutes(-30);
    private long _acknowledgedMessages;
    private Task _publishing = Task.CompletedTask;

    private CountTraffic(ResendingDevice device, int perMachine)
    {
        Device = device;
        _perMachine = perMachine;
    }

    /// <summary>The gateway: how often it had to reconnect tells whether a failure reached the devices.</summary>
    public ResendingDevice Device { get; }

    /// <summary>
    /// Connects a gateway to the cluster's broker, sends the baselines, then <paramref name="perMachine"/> - 1 counters
    /// per machine at <paramref name="perSecond"/> messages a second in all, and returns once
    /// <paramref name="acknowledged"/> messages were acknowledged: the cluster is under load.
    /// </summary>
    public static async Task<CountTraffic> StartAsync(ProcessCluster cluster, int perMachine, int perSecond, int acknowledged)
    {
        var traffic = new CountTraffic(await ResendingDevice.ConnectAsync(cluster.Broker.Port), perMachine);
        await traffic.SendBaselinesAsync(cluster);
        traffic._publishing = traffic.Device.PublishAllAsync(
            traffic.Messages(1, perMachine), window: 100, traffic.AcknowledgedFrom(1), TimeSpan.FromSeconds(1.0 / perSecond));
        await traffic.WaitForAcknowledgedAsync(acknowledged);
        return traffic;
    }

    /// <summary>Parts each machine produced once everything is sent.</summary>
    public long Expected => _perMachine - 1;

    /// <summary>Messages the broker acknowledged so far (baselines included).</summary>
    public long AcknowledgedMessages => Interlocked.Read(ref _acknowledgedMessages);

    /// <summary>Each machine's highest counter the broker acknowledged so far.</summary>
    public long[] HighestAcknowledged() => [.. Enumerable.Range(0, MachineCount).Select(m => Interlocked.Read(ref _acknowledged[m]))];

    /// <summary>
    /// Sends every machine's baseline and waits until each machine took it, so that later counters, which reach the
    /// silos through different sessions and may overtake each other, are never mistaken for the baseline.
    /// </summary>
    private async Task SendBaselinesAsync(ProcessCluster cluster)
    {
        await Device.PublishAllAsync(Messages(0, 1), window: MachineCount, AcknowledgedFrom(0));
        var counting = await Eventually.ReadAsync(
            async () => (await Task.WhenAll(FailurePlant.Machines.Select(m => cluster.Client.GetGrain<IMachineGrain>(m).GetStatusAsync()))).Count(s => s.CountsItself),
            n => n == MachineCount,
            TimeSpan.FromSeconds(60));
        Assert.True(counting == MachineCount, $"{counting} of {MachineCount} machines took their baseline.\n{cluster.Output}");
    }

    /// <summary>Completes once the broker acknowledged every message.</summary>
    public Task SentAsync() => _publishing.WaitAsync(TimeSpan.FromMinutes(3));

    public ValueTask DisposeAsync() => Device.DisposeAsync();

    /// <summary>Waits until the broker acknowledged at least <paramref name="messages"/> messages.</summary>
    public async Task WaitForAcknowledgedAsync(long messages)
    {
        var reached = await Eventually.ReadAsync(() => Task.FromResult(AcknowledgedMessages), n => n >= messages, TimeSpan.FromSeconds(120));
        Assert.True(reached >= messages, $"only {reached} of {messages} messages were acknowledged");
    }

    private List<(string Topic, string Payload)> Messages(int from, int to)
    {
        var messages = new List<(string, string)>();
        for (var k = from; k < to; k++)
        {
            foreach (var machine in FailurePlant.Machines)
            {
                var payload = JsonSerializer.Serialize(new { ts = _start.AddMilliseconds(100 * k), total = k, seq = k + 1 });
                messages.Add(($"mes/{machine}/count", payload));
            }
        }

        return messages;
    }

    // Message i of a batch whose first counter is `from` is machine i % machines, counter from + i / machines.
    private Action<int> AcknowledgedFrom(int from) => index =>
    {
        ref var highest = ref _acknowledged[index % MachineCount];
        long counter = from + (index / MachineCount);
        for (var seen = Interlocked.Read(ref highest); counter > seen; seen = Interlocked.Read(ref highest))
        {
            if (Interlocked.CompareExchange(ref highest, counter, seen) == seen)
            {
                break;
            }
        }

        Interlocked.Increment(ref _acknowledgedMessages);
    };
}
