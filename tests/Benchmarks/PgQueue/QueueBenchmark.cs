using System.Diagnostics;
using System.Text;
using MesOrleans.Telemetry.Queue;
using MesOrleans.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MesOrleans.Benchmarks.PgQueue;

/// <summary>
/// The cluster's telemetry queue on one real PostgreSQL 15 with durable commits: the project's own adapter
/// (<see cref="PostgresTelemetryQueue"/>) against Microsoft.Orleans.Streaming.AdoNet's queue adapter, each in a
/// database of its own on the same server. Three measures each: enqueue with concurrent producers, draining a backlog
/// with one reader (dequeue + acknowledge), and producers and one reader together (end to end). CPU counts this process
/// and the PostgreSQL server's processes.
/// </summary>
internal static class QueueBenchmark
{
    private const int Producers = 32;
    private const int ReadSize = 1_000;
    private static readonly TimeSpan EmptyPoll = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(TimeSpan duration, int runs)
    {
        if (PostgresServer.Missing is { } missing)
        {
            Console.WriteLine($"pgqueue: skipped, {missing}");
            return;
        }

        await using var server = await PostgresServer.StartAsync(durable: true);
        Console.WriteLine($"pgqueue: {Payload(0).Length} B JSON payload, {Producers} producers, reads of up to {ReadSize}, one partition/queue, PostgreSQL 15 fsync on");
        for (var run = 1; run <= runs; run++)
        {
            var ownDatabase = await server.CreateMesDatabaseAsync("own");
            await using (var own = await OwnQueue.StartAsync(ownDatabase))
            {
                await MeasureAsync($"run {run}, own adapter (PostgresTelemetryQueue)", own, ownDatabase, server.ProcessId, duration);
            }

            var orleansDatabase = await server.CreateMesDatabaseAsync("adonet");
            await using (var orleans = await OrleansAdoNetQueue.StartAsync(orleansDatabase))
            {
                await MeasureAsync($"run {run}, Orleans Streaming.AdoNet 10.4.2-alpha.1", orleans, orleansDatabase, server.ProcessId, duration);
            }
        }
    }

    private static async Task MeasureAsync(string label, IBenchQueue queue, string database, int postmaster, TimeSpan duration)
    {
        // Enqueue only: the backlog it leaves is what the drain reads.
        var cpu = Cpu.Take(postmaster);
        var clock = Stopwatch.StartNew();
        var enqueued = await ProduceAsync(queue, duration, CancellationToken.None);
        var enqueue = (Rate: enqueued / clock.Elapsed.TotalSeconds, Cpu: Cpu.Take(postmaster) - cpu);

        // Statistics as autovacuum would have them in a running installation: without them the planner takes the new
        // queue table for empty, and the Orleans provider's dequeue (a join on its batch) runs ten times slower.
        await AnalyzeAsync(database);

        cpu = Cpu.Take(postmaster);
        clock.Restart();
        long drained = 0;
        while (drained < enqueued && clock.Elapsed < duration * 3)
        {
            drained += await queue.ReadAndAcknowledgeAsync(ReadSize);
        }

        var drain = (Rate: drained / clock.Elapsed.TotalSeconds, Cpu: Cpu.Take(postmaster) - cpu);
        var leftover = enqueued - drained;

        // End to end: producers and one reader at once; throughput is what the reader acknowledged.
        cpu = Cpu.Take(postmaster);
        clock.Restart();
        using var stop = new CancellationTokenSource();
        var producing = ProduceAsync(queue, duration, stop.Token);
        long delivered = 0;
        while (clock.Elapsed < duration)
        {
            var read = await queue.ReadAndAcknowledgeAsync(ReadSize);
            delivered += read;
            if (read == 0)
            {
                await Task.Delay(EmptyPoll);
            }
        }

        var produced = await producing;
        var endToEnd = (Rate: delivered / clock.Elapsed.TotalSeconds, Cpu: Cpu.Take(postmaster) - cpu);

        Console.WriteLine($"{label}:");
        Console.WriteLine($"  enqueue, {Producers} producers: {enqueue.Rate:N0} msg/s, {enqueue.Cpu.TotalMicroseconds / enqueued:N0} µs CPU/msg");
        Console.WriteLine($"  dequeue + ack, one reader: {drain.Rate:N0} msg/s, {drain.Cpu.TotalMicroseconds / Math.Max(1, drained):N0} µs CPU/msg" +
            (leftover > 0 ? $" ({leftover:N0} of {enqueued:N0} not drained in time)" : string.Empty));
        Console.WriteLine($"  end to end: delivered {endToEnd.Rate:N0} msg/s while {produced / clock.Elapsed.TotalSeconds:N0} msg/s were enqueued, " +
            $"{endToEnd.Cpu.TotalMicroseconds / Math.Max(1, (produced + delivered) / 2):N0} µs CPU/msg (enqueue + delivery); " +
            $"{queue.Reordered:N0} messages read after a higher id in all");
    }

    private static async Task AnalyzeAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE;", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task<long> ProduceAsync(IBenchQueue queue, TimeSpan duration, CancellationToken stop)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long sent = 0;
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            var n = 0;
            while (Stopwatch.GetTimestamp() < deadline && !stop.IsCancellationRequested)
            {
                await queue.EnqueueAsync($"M-{p:D4}", Payload(n++));
                Interlocked.Increment(ref sent);
            }
        })));
        return sent;
    }

    // A count message as a bridge would queue it, about 120 bytes of JSON.
    private static byte[] Payload(int n) => Encoding.UTF8.GetBytes(
        $$"""{"machine":"M-0001","signal":"count","total":{{100_000 + n:D8}},"scrap":12,"at":"2026-12-01T02:15:12.123Z","seq":{{n:D9}}}""");

    /// <summary>One of the two queues as the benchmark drives it.</summary>
    internal interface IBenchQueue : IAsyncDisposable
    {
        Task EnqueueAsync(string streamKey, byte[] payload);

        /// <summary>Messages read with a lower id than one read before them (a commit-order or redelivery reordering).</summary>
        long Reordered { get; }

        /// <summary>One pull of up to <paramref name="max"/> messages, acknowledged; how many there were.</summary>
        Task<int> ReadAndAcknowledgeAsync(int max);
    }

    private sealed class OwnQueue(PostgresTelemetryQueue queue, NpgsqlDataSource dataSource) : IBenchQueue
    {
        private readonly ITelemetryQueueReader _reader = queue.OpenReader(0);
        private readonly IdOrder _order = new();
        private long _readUpTo;

        public long Reordered => _order.Reordered;

        public static async Task<OwnQueue> StartAsync(string connectionString)
        {
            var dataSource = NpgsqlDataSource.Create(connectionString);
            var options = new TelemetryQueueOptions { Partitions = 1, BackpressureDepth = 10_000_000, MaxDepth = 10_000_000 };
            var queue = new PostgresTelemetryQueue(dataSource, options, TimeProvider.System, NullLogger<PostgresTelemetryQueue>.Instance);
            await queue.OpenAsync();
            return new OwnQueue(queue, dataSource);
        }

        public Task EnqueueAsync(string streamKey, byte[] payload) => queue.EnqueueAsync(0, "telemetry", streamKey, payload);

        public async Task<int> ReadAndAcknowledgeAsync(int max)
        {
            var messages = await _reader.ReadAsync(_readUpTo, max);
            if (messages.Count == 0)
            {
                return 0;
            }

            _order.Observe(messages.Select(m => m.Id));
            _readUpTo = messages[^1].Id;
            await queue.DeleteAsync(0, messages.Select(m => m.Id).ToArray());
            return messages.Count;
        }

        public async ValueTask DisposeAsync()
        {
            _reader.Dispose();
            queue.Dispose();
            await dataSource.DisposeAsync();
        }
    }

    /// <summary>Counts ids that arrive below the highest one seen so far.</summary>
    internal sealed class IdOrder
    {
        private long _highest = long.MinValue;

        public long Reordered { get; private set; }

        public void Observe(IEnumerable<long> ids)
        {
            foreach (var id in ids)
            {
                if (id < _highest)
                {
                    Reordered++;
                }

                _highest = Math.Max(_highest, id);
            }
        }
    }

    /// <summary>CPU time of this process and of the PostgreSQL server (postmaster and its backends).</summary>
    private static class Cpu
    {
        private static readonly double TicksPerSecond = 100;

        public static TimeSpan Take(int postmaster)
        {
            double ticks = 0;
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), out var pid))
                {
                    continue;
                }

                try
                {
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (pid == postmaster || int.Parse(fields[1]) == postmaster)
                    {
                        ticks += double.Parse(fields[11]) + double.Parse(fields[12]);
                    }
                }
                catch (IOException)
                {
                    // The process ended between listing and reading.
                }
            }

            return TimeSpan.FromSeconds(ticks / TicksPerSecond) + Process.GetCurrentProcess().TotalProcessorTime;
        }
    }
}
