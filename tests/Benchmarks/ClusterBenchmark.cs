using System.Diagnostics;
using MesOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MesOrleans.Benchmarks;

/// <summary>
/// Cluster mode on a real PostgreSQL with durable commits (fsync on, as an installation runs it): how long three silos
/// started together take until each sees all three active, and grain-state latency through the Orleans ADO.NET
/// provider and the project's scripts.
/// </summary>
internal static class ClusterBenchmark
{
    private const int Rounds = 5;
    private const int Operations = 1000;
    private const int ConcurrentWriters = 16;

    public static async Task RunAsync(TimeSpan duration)
    {
        if (PostgresServer.Missing is { } missing)
        {
            Console.WriteLine($"cluster: skipped, {missing}");
            return;
        }

        await using var server = await PostgresServer.StartAsync(durable: true);
        var connectionString = await server.CreateMesDatabaseAsync("bench");
        await MeasureConvergenceAsync(connectionString);

        await using var silo = await TestSilo.StartAsync(ClusterSettings.Create(connectionString), "storage");
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(MesStorage.Name);
        await MeasureLatencyAsync(storage);
        await MeasureThroughputAsync(storage, duration);
    }

    private static async Task MeasureConvergenceAsync(string connectionString)
    {
        var started = new List<double>();
        var converged = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var cluster = ClusterSettings.Create(connectionString);
            var clock = Stopwatch.StartNew();
            var silos = await Task.WhenAll(Enumerable.Range(1, 3).Select(n => TestSilo.StartAsync(cluster, $"bench-{n}")));
            started.Add(clock.Elapsed.TotalSeconds);
            while (!silos.All(s => ActiveMembers(s) == 3))
            {
                await Task.Delay(5);
            }

            converged.Add(clock.Elapsed.TotalSeconds);
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }

        Console.WriteLine($"membership, 3 silos started together ({Rounds} rounds): every silo sees 3 active after " +
            $"{Median(converged):N2} s (min {converged.Min():N2}, max {converged.Max():N2}); the hosts' start returned after {Median(started):N2} s");
    }

    private static async Task MeasureLatencyAsync(IGrainStorage storage)
    {
        var prefix = Guid.NewGuid().ToString("N");
        var inserts = await TimeEachAsync(i => storage.WriteStateAsync("bench", Grain(prefix, i), new GrainState<BenchState>(BenchState.Sample(i))));

        var one = Grain(prefix, 0);
        var state = new GrainState<BenchState>();
        await storage.ReadStateAsync("bench", one, state);
        var updates = await TimeEachAsync(i =>
        {
            state.State = BenchState.Sample(i);
            return storage.WriteStateAsync("bench", one, state);
        });
        var reads = await TimeEachAsync(i => storage.ReadStateAsync("bench", Grain(prefix, i), new GrainState<BenchState>()));

        var size = BinaryData.FromObjectAsJson(BenchState.Sample(0)).ToArray().Length;
        Console.WriteLine($"grain state ({size:N0} B of JSON, {Operations:N0} sequential operations each): " +
            $"first write p50 {Percentile(inserts, 0.5):N2} ms p99 {Percentile(inserts, 0.99):N2} ms; " +
            $"update p50 {Percentile(updates, 0.5):N2} ms p99 {Percentile(updates, 0.99):N2} ms; " +
            $"read p50 {Percentile(reads, 0.5):N2} ms p99 {Percentile(reads, 0.99):N2} ms");
    }

    private static async Task MeasureThroughputAsync(IGrainStorage storage, TimeSpan duration)
    {
        var prefix = Guid.NewGuid().ToString("N");
        var deadline = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, ConcurrentWriters).Select(async writer =>
        {
            var grain = Grain(prefix, writer);
            var state = new GrainState<BenchState>();
            var writes = 0;
            while (deadline.Elapsed < duration)
            {
                state.State = BenchState.Sample(writes);
                await storage.WriteStateAsync("bench", grain, state);
                writes++;
            }

            return writes;
        }));
        Console.WriteLine($"grain state, {ConcurrentWriters} grains writing at once for {duration.TotalSeconds:N0} s: " +
            $"{counts.Sum() / deadline.Elapsed.TotalSeconds:N0} writes/s");
    }

    private static async Task<double[]> TimeEachAsync(Func<int, Task> operation)
    {
        var times = new double[Operations];
        for (var i = 0; i < Operations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await operation(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return times;
    }

    private static GrainId Grain(string prefix, int n) => GrainId.Create("bench", $"{prefix}-{n}");

    private static int ActiveMembers(TestSilo silo) =>
        silo.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);

    private static double Median(List<double> values) => Percentile([.. values], 0.5);

    private static double Percentile(double[] values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * fraction))];
    }

    /// <summary>About the size of a machine grain's state: names, a few counters, recent values.</summary>
    private sealed class BenchState
    {
        public string Machine { get; set; } = "";

        public string State { get; set; } = "";

        public long[] Counters { get; set; } = [];

        public DateTimeOffset[] Recent { get; set; } = [];

        public static BenchState Sample(int n) => new()
        {
            Machine = "plant1/assembly/press-" + n,
            State = n % 2 == 0 ? "running" : "idle",
            Counters = [.. Enumerable.Range(n, 40).Select(i => (long)i * 1_000)],
            Recent = [.. Enumerable.Range(0, 20).Select(i => DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000 + n + i))],
        };
    }
}
