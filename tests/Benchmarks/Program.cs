using System.Diagnostics;
using MesOrleans.Benchmarks;
using MesOrleans.Benchmarks.PgQueue;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Telemetry;

// Telemetry throughput harness: the real path (MQTT QoS 1 → embedded broker hook → Orleans stream → machine grain)
// and its ceilings on this machine. Run on demand: dotnet run -c Release --project tests/Benchmarks -- [options]
var options = BenchmarkOptions.Parse(args);
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {CpuModel()}, .NET {Environment.Version}; {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"options: {options}");
using var ages = new EventAges();

if (options.Runs("noop"))
{
    await using var server = await BareBroker.StartAsync(_ => Task.CompletedTask);
    await using var load = await LoadGenerator.ConnectAsync(server.Port, options.Connections, options.Machines, BenchmarkPlant.MachineId);
    var result = await load.RunAsync(0, options.Duration, options.Window);
    Console.WriteLine($"ceiling, broker with a do-nothing hook: {result.Rate:N0} msg/s acknowledged ({result.Failed} failed)");
}

if (options.Runs("direct"))
{
    await using var silo = await StandaloneSilo.StartAsync(BenchmarkPlant.Create(options.Machines), embeddedBroker: false);
    var parser = new TelemetryParser(new TelemetryParserSettings("mes", TimeSpan.FromDays(7), TimeSpan.FromMinutes(5)), _ => true);
    await using var server = await BareBroker.StartAsync(async e =>
    {
        var parsed = parser.Parse(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload, DateTimeOffset.UtcNow);
        await silo.Grains.GetGrain<IMachineGrain>(parsed.Event!.MachineId).ApplyTelemetryAsync(parsed.Event);
    });
    await using var load = await LoadGenerator.ConnectAsync(server.Port, options.Connections, options.Machines, BenchmarkPlant.MachineId);
    ages.Reset();
    var result = await load.RunAsync(0, options.Duration, options.Window);
    var loss = await Loss(silo, load);
    var (p50, p99, _) = ages.Percentiles();
    Console.WriteLine($"ceiling, broker calling the machine grain directly (no stream): {result.Rate:N0} msg/s, loss {loss}, p50 {p50:N1} ms, p99 {p99:N1} ms");
}

if (options.Runs("e2e"))
{
    await using var silo = await StandaloneSilo.StartAsync(BenchmarkPlant.Create(options.Machines), embeddedBroker: true);
    await using var load = await LoadGenerator.ConnectAsync(silo.BrokerPort, options.Connections, options.Machines, BenchmarkPlant.MachineId);
    await load.RunAsync(0, TimeSpan.FromSeconds(3), options.Window);

    await RunEndToEndAsync("as fast as acknowledged", 0);
    await RunEndToEndAsync($"at {options.Rate:N0} msg/s", options.Rate);

    // Throughput is what the grains applied, not what the broker acknowledged: the clock stops when every message is
    // in its machine's counters. CPU per message covers the same span, publishers included.
    async Task RunEndToEndAsync(string label, double rate)
    {
        ages.Reset();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var run = await load.RunAsync(rate, options.Duration, options.Window);
        var loss = await Loss(silo, load);
        var applied = clock.Elapsed;
        var cpuPerMessage = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / run.Acked;
        var (p50, p99, _) = ages.Percentiles();
        Console.WriteLine($"end to end {label}: applied {run.Acked / applied.TotalSeconds:N0} msg/s (acknowledged {run.Rate:N0} msg/s), " +
            $"loss {loss}, p50 {p50:N1} ms, p99 {p99:N1} ms, {cpuPerMessage:N0} µs CPU per message (publishers included)");
    }
}

if (options.Runs("memory"))
{
    await using var silo = await StandaloneSilo.StartAsync(plant: null, embeddedBroker: false);
    var before = Heap();
    var plant = BenchmarkPlant.Create(options.MemoryMachines);
    await silo.Grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key).ApplyAsync(plant);
    var now = DateTimeOffset.UtcNow;
    await Parallel.ForAsync(0, options.MemoryMachines, async (m, _) =>
    {
        var machine = silo.Grains.GetGrain<IMachineGrain>(BenchmarkPlant.MachineId(m));
        var id = BenchmarkPlant.MachineId(m);
        await machine.ApplyTelemetryAsync(new TelemetryEvent(id, TelemetrySignal.State, now, now) { State = MachineState.Running });
        await machine.ApplyTelemetryAsync(new TelemetryEvent(id, TelemetrySignal.Count, now, now) { Total = 100, Scrap = 1 });
        await machine.ApplyTelemetryAsync(new TelemetryEvent(id, TelemetrySignal.Count, now.AddSeconds(1), now) { Total = 110, Scrap = 1 });
    });
    var after = Heap();
    Console.WriteLine($"memory: {(after - before) / (double)options.MemoryMachines / 1024:N1} KB per active machine grain " +
        $"({options.MemoryMachines:N0} machines, managed heap {before / 1048576:N0} → {after / 1048576:N0} MB)");
}

if (options.Runs("cluster"))
{
    await ClusterBenchmark.RunAsync(options.Duration);
}

if (options.Runs("reports"))
{
    await ReportsBenchmark.RunAsync(options.Store, options.ReportMachines, options.Days, options.CountEvery, options.QueryRuns, options.DataDirectory);
}

if (options.Runs("pgqueue"))
{
    await QueueBenchmark.RunAsync(options.Duration, runs: 2);
}

static long Heap()
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    return GC.GetTotalMemory(forceFullCollection: true);
}

// Every machine's total must grow by exactly what it published minus its baseline.
static async Task<long> Loss(StandaloneSilo silo, LoadGenerator load)
{
    var expected = load.Sent.Sum(s => Math.Max(0, s - 1));
    var deadline = DateTime.UtcNow.AddSeconds(60);
    long applied;
    do
    {
        var totals = await Task.WhenAll(load.Sent.Select((_, m) => silo.Grains.GetGrain<IMachineGrain>(BenchmarkPlant.MachineId(m)).GetShiftOeeAsync()));
        applied = totals.Sum(t => t.TotalCount);
        if (applied >= expected)
        {
            break;
        }

        await Task.Delay(200);
    }
    while (DateTime.UtcNow < deadline);
    return expected - applied;
}

static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown CPU"
        : "unknown CPU";
