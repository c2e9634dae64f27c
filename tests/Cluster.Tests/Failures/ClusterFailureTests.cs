using System.Diagnostics;
using System.Text.Json;
using MesOrleans.Machines;
using MesOrleans.Testing;
using Xunit.Abstractions;

namespace MesOrleans.Cluster.Tests.Failures;

/// <summary>
/// A cluster of three silo processes on a real PostgreSQL and a real Mosquitto, fed by a gateway that publishes
/// cumulative counters at a steady rate at QoS 1 and re-sends what was not acknowledged, through the failures a plant
/// sees. After each one the invariant holds: zero cycles lost, zero counted twice (device totals = the grains' live
/// counters = the event log in PostgreSQL). Recovery times are printed, not asserted beyond a generous bound.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterFailureTests(ITestOutputHelper output)
{
    private const int Rate = 120;
    private const string TookOver = "Took over the MQTT session of dead silo silo-2";
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_silo_killed_with_sigkill_under_load_hands_its_machines_to_the_survivors_and_loses_nothing()
    {
        RequiredComponent.SkipOrFailIfMissing(ProcessCluster.Missing);
        await using var cluster = await ProcessCluster.StartAsync(silos: 3);
        await using var traffic = await CountTraffic.StartAsync(cluster, perMachine: 400, Rate, acknowledged: 1_200);

        var mustApply = traffic.HighestAcknowledged();
        var clock = Stopwatch.StartNew();
        await cluster.Silos[1].KillAsync();
        var resumed = await cluster.WaitUntilAppliedAsync(mustApply, Recovery);
        output.WriteLine($"kill -9 of silo-2: everything acknowledged before the kill was applied after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(resumed, $"not everything acknowledged before the kill was applied within {Recovery}.\n{cluster.Output}");

        await traffic.SentAsync();
        await AssertNothingLostNothingTwiceAsync(cluster, traffic);
        Assert.True(await cluster.WroteAsync(TookOver, Recovery), $"no survivor took over silo-2's session.\n{cluster.Output}");
    }

    [SkippableFact]
    public async Task Messages_in_flight_to_a_silo_that_dies_are_ingested_by_a_survivor()
    {
        RequiredComponent.SkipOrFailIfMissing(ProcessCluster.Missing);
        await using var cluster = await ProcessCluster.StartAsync(silos: 3);
        await using var device = await ResendingDevice.ConnectAsync(cluster.Broker.Port);

        // A hung silo still holds its connection: Mosquitto sends it its share and acknowledges the device.
        cluster.Silos[1].Freeze();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var stops = FailurePlant.Machines
            .Select(m => ($"mes/{m}/state", JsonSerializer.Serialize(new { ts = at, state = "down", reason = "E12" })))
            .ToList();
        await device.PublishAllAsync(stops, window: stops.Count);

        var clock = Stopwatch.StartNew();
        await cluster.Silos[1].KillAsync();
        var states = await Eventually.ReadAsync(() => StatesAsync(cluster), s => s?.All(x => x == MachineState.Down) == true, Recovery);
        output.WriteLine($"messages acknowledged by the broker to a silo that then died: all applied {clock.Elapsed.TotalSeconds:F1} s after the kill");
        Assert.True(states?.All(x => x == MachineState.Down) == true,
            $"machines still not down: {string.Join(", ", FailurePlant.Machines.Where((_, i) => states?[i] != MachineState.Down))}\n{cluster.Output}");
        Assert.True(await cluster.WroteAsync(TookOver, Recovery), $"no survivor took over silo-2's session.\n{cluster.Output}");
    }

    [SkippableFact]
    public async Task The_broker_restarted_under_load_loses_nothing()
    {
        RequiredComponent.SkipOrFailIfMissing(ProcessCluster.Missing);
        await using var cluster = await ProcessCluster.StartAsync(silos: 3);
        await using var traffic = await CountTraffic.StartAsync(cluster, perMachine: 400, Rate, acknowledged: 1_200);

        var clock = Stopwatch.StartNew();
        var before = traffic.AcknowledgedMessages;
        await cluster.Broker.StopAsync();
        await cluster.Broker.StartAgainAsync();
        var down = clock.Elapsed;

        // Ingestion has resumed once what the broker acknowledged after coming back (a second of traffic) is applied.
        await traffic.WaitForAcknowledgedAsync(before + Rate);
        var resumed = await cluster.WaitUntilAppliedAsync(traffic.HighestAcknowledged(), Recovery);
        output.WriteLine($"broker restart: down {down.TotalSeconds:F1} s; messages acknowledged after it came back applied {clock.Elapsed.TotalSeconds:F1} s after the stop; the gateway reconnected {traffic.Device.Reconnects} times");
        Assert.True(resumed, $"ingestion did not resume within {Recovery} of the restart.\n{cluster.Output}");
        Assert.True(traffic.Device.Reconnects > 0, "the gateway never lost its connection: the broker did not restart under load");

        await traffic.SentAsync();
        await AssertNothingLostNothingTwiceAsync(cluster, traffic);
    }

    [SkippableFact]
    public async Task PostgreSQL_down_for_30_seconds_under_load_keeps_live_views_reports_the_outage_and_loses_nothing()
    {
        RequiredComponent.SkipOrFailIfMissing(ProcessCluster.Missing);
        await using var cluster = await ProcessCluster.StartAsync(silos: 3);
        await using var traffic = await CountTraffic.StartAsync(cluster, perMachine: 600, Rate, acknowledged: 1_200);

        await cluster.Postgres.StopAsync();
        var outage = Stopwatch.StartNew();
        var readiness = await Eventually.ReadAsync(() => cluster.ReadinessAsync(0), code => code == 503, TimeSpan.FromSeconds(20));
        Assert.Equal(503, readiness);
        var unanswered = 0;
        while (outage.Elapsed < TimeSpan.FromSeconds(30))
        {
            unanswered += await cluster.LiveTotalsAsync() is null ? 1 : 0;
            await Task.Delay(1_000);
        }

        var mustApply = traffic.HighestAcknowledged();
        await cluster.Postgres.StartAgainAsync();
        var clock = Stopwatch.StartNew();
        var before = await cluster.EventCountAsync();
        var resumed = await cluster.WaitUntilAppliedAsync(mustApply, Recovery);
        var caughtUp = clock.Elapsed;
        var written = await cluster.EventCountAsync() - before;
        output.WriteLine($"PostgreSQL down 30 s: live views unanswered in {unanswered} of 30 reads; everything acknowledged during the outage applied {caughtUp.TotalSeconds:F1} s after it came back; {written} events written meanwhile ({written / caughtUp.TotalSeconds:F0}/s)");
        Assert.True(resumed, $"not everything acknowledged during the outage was applied within {Recovery}.\n{cluster.Output}");
        await cluster.WaitUntilReadyAsync(0, Recovery);
        Assert.Equal(0, unanswered);

        await traffic.SentAsync();
        await AssertNothingLostNothingTwiceAsync(cluster, traffic);
    }

    [SkippableFact]
    public async Task A_rolling_restart_of_every_silo_under_load_loses_nothing()
    {
        RequiredComponent.SkipOrFailIfMissing(ProcessCluster.Missing);
        await using var cluster = await ProcessCluster.StartAsync(silos: 3);
        await using var traffic = await CountTraffic.StartAsync(cluster, perMachine: 700, Rate, acknowledged: 600);

        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            var clock = Stopwatch.StartNew();
            await cluster.Silos[i].StopAsync();
            var stopped = clock.Elapsed;
            await cluster.StartSiloAsync(i);
            output.WriteLine($"silo-{i + 1}: stopped in {stopped.TotalSeconds:F1} s, ready again {clock.Elapsed.TotalSeconds:F1} s after the stop began");
        }

        await traffic.SentAsync();
        await AssertNothingLostNothingTwiceAsync(cluster, traffic);
    }

    private async Task AssertNothingLostNothingTwiceAsync(ProcessCluster cluster, CountTraffic traffic)
    {
        var expected = Enumerable.Repeat(traffic.Expected, FailurePlant.Machines.Count).ToArray();
        var live = await Eventually.ReadAsync(cluster.LiveTotalsAsync, t => t?.SequenceEqual(expected) == true, Recovery);
        Assert.True(live is not null, $"the machines did not answer.\n{cluster.Output}");
        Assert.Equal(expected, live);
        Assert.Equal(expected, await cluster.HistoryTotalsAsync());
        output.WriteLine($"{FailurePlant.Machines.Count} machines × {traffic.Expected} parts: device = live counters = event log");
    }

    private static async Task<MachineState?[]?> StatesAsync(ProcessCluster cluster)
    {
        try
        {
            return await Task.WhenAll(FailurePlant.Machines.Select(async m =>
                (await cluster.Client.GetGrain<IMachineGrain>(m).GetStatusAsync().WaitAsync(TimeSpan.FromSeconds(10))).State));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return null;
        }
    }
}
