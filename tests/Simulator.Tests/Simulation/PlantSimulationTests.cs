using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Telemetry;

namespace MesOrleans.Simulator.Tests.Simulation;

public sealed class PlantSimulationTests
{
    [Fact]
    public void The_same_seed_gives_the_same_messages()
    {
        var first = Run(DemoPlant.Model, TestPlants.EarlyShiftStart, TimeSpan.FromHours(4), seed: 42);
        var second = Run(DemoPlant.Model, TestPlants.EarlyShiftStart, TimeSpan.FromHours(4), seed: 42);
        var other = Run(DemoPlant.Model, TestPlants.EarlyShiftStart, TimeSpan.FromHours(4), seed: 43);

        Assert.True(first.Count > 1000);
        Assert.Equal(first, second);
        Assert.NotEqual(first.Select(m => m.Payload), other.Select(m => m.Payload));
    }

    [Fact]
    public void Small_steps_give_the_same_messages_as_one_big_step()
    {
        var big = Run(DemoPlant.Model, TestPlants.EarlyShiftStart, TimeSpan.FromHours(3), seed: 7);

        var simulation = new PlantSimulation(DemoPlant.Model, TestPlants.EarlyShiftStart, 7);
        var small = new List<TelemetryMessage>();
        for (var to = TestPlants.EarlyShiftStart; to < TestPlants.EarlyShiftStart.AddHours(3);)
        {
            // Uneven steps that fall between milliseconds too.
            to = Min(to + TimeSpan.FromTicks(37_123_457), TestPlants.EarlyShiftStart.AddHours(3));
            small.AddRange(simulation.Advance(to));
        }

        Assert.Equal(big, small);
    }

    [Fact]
    public void The_first_advance_reports_every_machine_state_and_counters_at_the_start()
    {
        var simulation = new PlantSimulation(DemoPlant.Model, TestPlants.EarlyShiftStart, 1);

        var messages = simulation.Advance(TestPlants.EarlyShiftStart).ToList();

        Assert.Equal(16, messages.Count);
        Assert.All(messages, m => Assert.Equal(TestPlants.EarlyShiftStart, m.Timestamp));
        foreach (var machine in messages.GroupBy(m => m.Machine))
        {
            Assert.Equal([TelemetrySignal.State, TelemetrySignal.Count], machine.Select(m => m.Signal));
            Assert.Equal([1L, 2L], machine.Select(m => m.Sequence));
            Assert.Contains("\"state\":\"running\"", machine.First().Payload, StringComparison.Ordinal);
            Assert.Contains("\"total\":0,\"scrap\":0", machine.Last().Payload, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(2026)]
    public void An_early_shift_of_the_demo_plant_looks_like_a_real_one(int seed)
    {
        var simulation = new PlantSimulation(DemoPlant.Model, TestPlants.EarlyShiftStart, seed);
        _ = simulation.Advance(TestPlants.EarlyShiftEnd).ToList();
        var truth = simulation.GroundTruth;

        Assert.Equal(8, truth.Machines.Count);
        Assert.All(truth.Machines, machine =>
        {
            Assert.True(machine.Stops > 0, $"{machine.Machine} never stopped");
            Assert.InRange(machine.Oee!.Value, 0.4, 0.95);
            Assert.InRange((double)machine.Scrap / machine.Total, 0, 0.05);

            // 45 minutes of breaks are planned; the rest of the 8 hours is planned busy time.
            Assert.Equal(TimeSpan.FromMinutes(45), machine.TimeInState[MachineState.Planned]);
            Assert.Equal(TimeSpan.FromHours(8) - TimeSpan.FromMinutes(45), machine.PlannedBusyTime);
        });
        var scrapShare = (double)truth.Machines.Sum(m => m.Scrap) / truth.Machines.Sum(m => m.Total);
        Assert.InRange(scrapShare, 0.001, 0.05);
    }

    [Fact]
    public void Counters_never_decrease_and_sequences_strictly_increase_per_machine()
    {
        var messages = Run(DemoPlant.Model, TestPlants.EarlyShiftStart, TimeSpan.FromHours(12), seed: 5);

        foreach (var machine in messages.GroupBy(m => m.Machine))
        {
            var payloads = machine.Select(m => ContractPayload.Parse(Signal(m), m.Payload)).ToList();
            Assert.All(payloads.Zip(payloads.Skip(1)), pair => Assert.True(pair.Second.Sequence == pair.First.Sequence + 1));
            Assert.All(payloads.Zip(payloads.Skip(1)), pair => Assert.True(pair.Second.Timestamp >= pair.First.Timestamp));
            var counts = payloads.Where(p => p.Total is not null).ToList();
            Assert.All(counts.Zip(counts.Skip(1)), pair =>
            {
                Assert.True(pair.Second.Total >= pair.First.Total);
                Assert.True(pair.Second.Scrap >= pair.First.Scrap);
            });
        }
    }

    [Fact]
    public void Messages_come_in_time_order()
    {
        var messages = Run(DemoPlant.Model, TestPlants.EarlyShiftStart, TimeSpan.FromHours(2), seed: 3);

        Assert.Equal(messages.OrderBy(m => m.Timestamp).ToList(), messages);
    }

    [Fact]
    public void Every_message_follows_the_telemetry_contract()
    {
        var settings = new SimulationSettings { TopicPrefix = "factory/mes" };
        var simulation = new PlantSimulation(DemoPlant.Model, TestPlants.EarlyShiftStart, 11, settings);
        var messages = simulation.Advance(TestPlants.EarlyShiftStart.AddHours(12)).ToList();
        var reasons = DemoPlant.Model.DowntimeReasons.Select(r => r.Code).ToHashSet();

        Assert.All(messages, message =>
        {
            var levels = message.Topic.Split('/');
            Assert.Equal(6, levels.Length);
            Assert.Equal(["factory", "mes"], levels[..2]);
            Assert.Equal(message.Machine, EquipmentPath.ForMachine(levels[2], levels[3], levels[4]));
            Assert.Equal(Signal(message), levels[5]);

            var payload = ContractPayload.Parse(levels[5], message.Payload);
            Assert.Equal(message.Timestamp, payload.Timestamp);
            Assert.Equal(message.Sequence, payload.Sequence);
            if (payload.Reason is not null)
            {
                Assert.Contains(payload.Reason, reasons);
            }
        });
        var states = messages.Where(m => m.Signal == TelemetrySignal.State).Select(m => ContractPayload.Parse("state", m.Payload)).ToList();
        Assert.Equal(["changeover", "down", "idle", "planned", "running"], states.Select(s => s.State).Distinct().Order());
        Assert.Contains(states, s => s is { State: "down", Reason: "E12" or "E21" or "E33" or "E40" });
        Assert.Contains(states, s => s is { State: "down", Reason: "MS1" or "MS2" });
        Assert.Contains(states, s => s is { State: "changeover", Reason: "CO" });
    }

    [Fact]
    public void Breaks_are_planned_with_the_break_reason_and_work_resumes_after_them()
    {
        // The early shift's break 09:00–09:15 in Berlin is 08:00–08:15 UTC.
        var breakStart = TestPlants.EarlyShiftStart.AddHours(3);
        var breakEnd = breakStart.AddMinutes(15);
        var simulation = new PlantSimulation(DemoPlant.Model, TestPlants.EarlyShiftStart, 8);

        var messages = simulation.Advance(breakEnd.AddMinutes(1)).Where(m => m.Signal == TelemetrySignal.State).ToList();

        foreach (var machine in messages.GroupBy(m => m.Machine))
        {
            var atBreak = Assert.Single(machine, m => m.Timestamp == breakStart);
            Assert.Equal(new ContractPayload(breakStart, "planned", "BRK", null, null, atBreak.Sequence), ContractPayload.Parse("state", atBreak.Payload));
            Assert.DoesNotContain(machine, m => m.Timestamp > breakStart && m.Timestamp < breakEnd);
            var afterBreak = Assert.Single(machine, m => m.Timestamp == breakEnd);
            Assert.NotEqual("planned", ContractPayload.Parse("state", afterBreak.Payload).State);
        }
    }

    [Fact]
    public void Time_outside_shifts_is_planned_without_a_reason()
    {
        var earlyOnly = DemoPlant.Model with
        {
            Sites = [DemoPlant.Model.Sites[0] with { Shifts = [DemoPlant.Model.Sites[0].Shifts[0]] }],
        };
        var simulation = new PlantSimulation(earlyOnly, TestPlants.EarlyShiftStart, 9);

        var messages = simulation.Advance(TestPlants.EarlyShiftEnd.AddHours(1)).Where(m => m.Signal == TelemetrySignal.State).ToList();

        Assert.All(messages.GroupBy(m => m.Machine), machine =>
        {
            var last = machine.Last();
            Assert.Equal(TestPlants.EarlyShiftEnd, last.Timestamp);
            Assert.Equal(new ContractPayload(TestPlants.EarlyShiftEnd, "planned", null, null, null, last.Sequence), ContractPayload.Parse("state", last.Payload));
        });
        Assert.All(simulation.GroundTruth.Machines, m => Assert.Equal(TimeSpan.FromMinutes(45 + 60), m.TimeInState[MachineState.Planned]));
    }

    [Fact]
    public void The_ground_truth_is_what_was_published()
    {
        var simulation = new PlantSimulation(TestPlants.Small, TestPlants.EarlyShiftStart, 4);
        var messages = simulation.Advance(TestPlants.EarlyShiftStart.AddHours(10)).ToList();
        var truth = simulation.GroundTruth;

        Assert.Equal(TestPlants.EarlyShiftStart.AddHours(10), truth.End);
        Assert.All(truth.Machines, machine =>
        {
            var sent = messages.Where(m => m.Machine == machine.Machine).ToList();
            var lastCount = ContractPayload.Parse("count", sent.Last(m => m.Signal == TelemetrySignal.Count).Payload);
            Assert.Equal((lastCount.Total, lastCount.Scrap), (machine.Total, machine.Scrap));
            Assert.Equal(sent[^1].Sequence, machine.LastSequence);
            Assert.Equal(TimeSpan.FromHours(10), machine.TimeInState.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t));
            // A stop starts when a running machine stops; one that goes on after a break is not a new stop.
            var states = sent
                .Where(m => m.Signal == TelemetrySignal.State)
                .Select(m => ContractPayload.Parse("state", m.Payload).State)
                .ToList();
            var stopsStarted = states.Zip(states.Skip(1)).Count(pair => pair is ("running", "down" or "idle" or "changeover"));
            Assert.Equal(machine.Stops, stopsStarted);
        });
    }

    [Fact]
    public void The_ground_truth_prints_as_json()
    {
        var simulation = new PlantSimulation(TestPlants.Small, TestPlants.EarlyShiftStart, 12);
        _ = simulation.Advance(TestPlants.EarlyShiftStart.AddHours(1)).ToList();

        using var json = System.Text.Json.JsonDocument.Parse(simulation.GroundTruth.ToJson());

        Assert.Equal(12, json.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal("2026-03-02T06:00:00.000Z", json.RootElement.GetProperty("end").GetString());
        var machine = json.RootElement.GetProperty("machines")[0];
        Assert.Equal("test/line/fast", machine.GetProperty("machine").GetString());
        Assert.True(machine.GetProperty("total").GetInt64() > 0);
        Assert.True(machine.GetProperty("secondsInState").GetProperty("running").GetDouble() > 0);
    }

    [Fact]
    public void Counters_can_also_be_published_every_few_parts()
    {
        var settings = new SimulationSettings { CountInterval = TimeSpan.FromHours(1), CountEveryParts = 10 };
        var simulation = new PlantSimulation(TestPlants.Small, TestPlants.EarlyShiftStart, 2, settings);

        var counts = simulation.Advance(TestPlants.EarlyShiftStart.AddMinutes(20))
            .Where(m => m.Signal == TelemetrySignal.Count && m.Machine.Machine == "fast")
            .Select(m => ContractPayload.Parse("count", m.Payload).Total!.Value)
            .ToList();

        // Every tenth part, or fewer where a stop flushed the counters early.
        Assert.True(counts.Count > 50);
        Assert.All(counts.Zip(counts.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 1, 10));
        Assert.True(counts.Zip(counts.Skip(1)).Count(pair => pair.Second - pair.First == 10) > counts.Count / 2);
    }

    [Fact]
    public void Time_cannot_go_back()
    {
        var simulation = new PlantSimulation(TestPlants.Small, TestPlants.EarlyShiftStart, 2);
        _ = simulation.Advance(TestPlants.EarlyShiftStart.AddMinutes(1)).ToList();

        Assert.Throws<ArgumentOutOfRangeException>(() => simulation.Advance(TestPlants.EarlyShiftStart));
    }

    private static List<TelemetryMessage> Run(PlantModel model, DateTimeOffset start, TimeSpan duration, int seed) =>
        new PlantSimulation(model, start, seed).Advance(start + duration).ToList();

    private static string Signal(TelemetryMessage message) => message.Signal == TelemetrySignal.State ? "state" : "count";

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
