using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using MesOrleans.Plant;
using MesOrleans.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static MesOrleans.Telemetry.TelemetryRejectReason;

namespace MesOrleans.Tests.Telemetry;

/// <summary>
/// Valid traffic of a few machines mixed with every kind of bad input, through the parser and then the counter
/// rules, as ingestion and the machine grain run them. Seeded, so a failure repeats.
/// </summary>
public sealed class TelemetryFuzzTests : IDisposable
{
    private const int Seed = 20_261_125;
    private const int ValidReadingsPerMachine = 1_200;
    private const int BadMessages = 6_000;

    private static readonly DateTimeOffset Start = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly TelemetryParserSettings Settings = new("mes", TimeSpan.FromDays(7), TimeSpan.FromMinutes(5));

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Nothing_escapes_every_message_has_one_outcome_and_valid_counts_add_up_to_the_parts_made()
    {
        var random = new Random(Seed);
        var machines = Enumerable.Range(1, 6)
            .Select(i => new SimulatedMachine(
                EquipmentPath.ForMachine("plant1", i % 2 == 0 ? "assembly" : "packaging", $"m-{i}"),
                sendsSequence: i % 2 == 1,
                ValidReadingsPerMachine,
                Start,
                random))
            .ToDictionary(machine => machine.Machine.ToString());
        var bad = Enumerable.Range(0, BadMessages).Select(_ => Bad(random, machines.Values.ElementAt(random.Next(machines.Count)).Machine)).ToList();
        var arrivals = Interleave(machines.Values, bad, random);

        var parser = new TelemetryParser(Settings, machine => machines.ContainsKey(machine.ToString()));
        var stats = new TelemetryStats(_services.GetRequiredService<IMeterFactory>());
        var logger = new CapturingLogger<RejectLog>();
        var rejectLog = new RejectLog(logger, new FakeTimeProvider(Start));
        var unknownDevices = new UnknownDevices();
        var unknownMachines = new HashSet<EquipmentPath>();
        var cursors = machines.Keys.ToDictionary(id => id, _ => new TelemetryCursor());
        var epochs = machines.Keys.ToDictionary(id => id, _ => 0);
        var counted = machines.Keys.ToDictionary(id => id, _ => (Total: 0L, Scrap: 0L));

        for (var n = 0; n < arrivals.Count; n++)
        {
            var arrival = arrivals[n];
            var number = n;
            string Describe(string problem) => $"{problem} in message #{number} on {arrival.Topic}: {Encoding.UTF8.GetString(arrival.Payload)}";
            stats.RecordReceived();
            var result = parser.Parse(arrival.Topic, Cut(arrival.Payload, random), arrival.ReceivedAt);

            Check((result.Event is null) != (result.Reject is null), () => Describe("neither or both event and reject"));
            if (result.Reject is { } reason)
            {
                Check(!string.IsNullOrWhiteSpace(result.Detail), () => Describe("reject without a detail"));
                Check(arrival.Valid is null, () => Describe($"valid message rejected as {reason} ({result.Detail})"));
                Check(arrival.Allowed.Length == 0 || arrival.Allowed.Contains(reason), () => Describe($"{reason} ({result.Detail}), expected one of {string.Join(", ", arrival.Allowed)}"));
                Check(reason == BadTopic || result.Machine is not null, () => Describe("no machine for a parsed topic"));
                stats.RecordRejected(reason);
                rejectLog.Record(reason, arrival.Topic, result.Detail!);
                if (reason == UnknownMachine)
                {
                    unknownDevices.Record(result.Machine!.Value, arrival.Topic, arrival.ReceivedAt);
                    unknownMachines.Add(result.Machine.Value);
                }

                continue;
            }

            var telemetryEvent = result.Event!;
            if (arrival.Valid is not { } valid)
            {
                Assert.Fail(Describe("bad message accepted"));
                return;
            }

            var machineId = telemetryEvent.MachineId;
            Check(valid.Timestamp == telemetryEvent.Timestamp && valid.Signal == telemetryEvent.Signal, () => Describe("read wrong"));

            var decision = CounterTracker.Decide(cursors[machineId], telemetryEvent);
            cursors[machineId] = decision.Cursor;
            Check(decision.TotalDelta >= 0 && decision.ScrapDelta >= 0, () => Describe("negative delta"));
            counted[machineId] = (counted[machineId].Total + decision.TotalDelta, counted[machineId].Scrap + decision.ScrapDelta);
            if (decision.IsDuplicate)
            {
                stats.RecordDuplicate();
            }
            else
            {
                stats.RecordAccepted();
            }

            if (!valid.IsCopy)
            {
                Check(valid.Expected == decision.Classification, () => Describe($"{decision.Classification}, expected {valid.Expected}"));
                epochs[machineId] = valid.Epoch;
            }
            else if (valid.Signal == TelemetrySignal.Count)
            {
                Check(decision.IsDuplicate, () => Describe($"a repeated count counted as {decision.Classification}"));
            }
            else if (!machines[machineId].SendsSequence)
            {
                // Without a sequence only the grain, by event time, can tell a repeated state.
                Check(decision.Classification == TelemetryClassification.Applied, () => Describe($"{decision.Classification}"));
            }
            else if (valid.Epoch == epochs[machineId])
            {
                // A state sent before a restart of the numbering looks new; any other repeat is known by its number.
                Check(decision.Classification == TelemetryClassification.Duplicate, () => Describe($"a repeated state as {decision.Classification}"));
            }
        }

        Assert.True(arrivals.Count >= 10_000, $"only {arrivals.Count} messages");
        foreach (var (id, machine) in machines)
        {
            Assert.Equal((machine.TrueTotal, machine.TrueScrap), counted[id]);
            Assert.True(machine.TrueTotal > 5_000 && machine.TrueScrap > 500, $"too little production on {id} to prove anything");
        }

        var snapshot = stats.Snapshot();
        Assert.Equal(arrivals.Count, snapshot.Received);
        Assert.Equal(snapshot.Received, snapshot.Accepted + snapshot.Duplicates + snapshot.Rejected.Values.Sum());
        Assert.Equal(BadMessages, snapshot.Rejected.Values.Sum());
        Assert.True(snapshot.Duplicates > 500, $"only {snapshot.Duplicates} duplicates: the traffic does not repeat enough");
        Assert.Equal(Enum.GetValues<TelemetryRejectReason>().Length, snapshot.Rejected.Count);

        // Thousands of rejects in no time: one line per reason.
        Assert.Equal(snapshot.Rejected.Count, logger.Entries.Count);
        Assert.Equal(
            unknownMachines.Select(machine => machine.ToString()).Order(StringComparer.Ordinal),
            unknownDevices.List().Select(device => device.MachinePath).Order(StringComparer.Ordinal));
    }

    // Failure messages are built only on failure: they cost more than the code under test.
    private static void Check(bool condition, Func<string> failure)
    {
        if (!condition)
        {
            Assert.Fail(failure());
        }
    }

    /// <summary>All machines' deliveries, each machine's in its own order, and the bad messages, mixed at random.</summary>
    private static List<Arrival> Interleave(IEnumerable<SimulatedMachine> machines, List<Arrival> bad, Random random)
    {
        var queues = machines
            .Select(machine => new Queue<Arrival>(machine.Deliveries.Select(d => new Arrival(d.Topic, d.Payload, d.ReceivedAt, d, []))))
            .Append(new Queue<Arrival>(bad))
            .ToList();
        var turns = queues.SelectMany((queue, index) => Enumerable.Repeat(index, queue.Count)).ToArray();
        random.Shuffle(turns);
        return turns.Select(index => queues[index].Dequeue()).ToList();
    }

    /// <summary>The payload in one buffer, or now and then in several, as the broker may hand it over.</summary>
    private static ReadOnlySequence<byte> Cut(byte[] payload, Random random)
    {
        if (payload.Length < 2 || random.Next(3) != 0)
        {
            return new ReadOnlySequence<byte>(payload);
        }

        var cuts = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(1, payload.Length)).Order().ToArray();
        return Payloads.Split(payload, cuts);
    }

    private static Arrival Bad(Random random, EquipmentPath machine)
    {
        var receivedAt = Start.AddSeconds(random.Next(7_200));
        var signal = random.Next(2) == 0 ? TelemetrySignal.State : TelemetrySignal.Count;
        var topic = TelemetryTopic.Format("mes", machine, signal);
        var fields = Fields(signal, receivedAt.AddSeconds(-random.Next(60)), random);
        switch (random.Next(12))
        {
            case 0:
                var noise = new byte[random.Next(0, 300)];
                random.NextBytes(noise);
                return new Arrival(topic, noise, receivedAt, null, []);
            case 1:
                var whole = MessageJson.Render(fields, random);
                return new Arrival(topic, whole[..random.Next(whole.Length)], receivedAt, null, [MalformedJson]);
            case 2:
                var wrong = random.Next(fields.Count);
                fields[wrong] = (fields[wrong].Name, Pick(random, WrongValues(fields[wrong].Name)));
                return new Arrival(topic, MessageJson.Render(fields, random), receivedAt, null, [InvalidField]);
            case 3:
                var huge = signal == TelemetrySignal.Count && random.Next(2) == 0 ? "total" : "seq";
                string[] absurd = huge == "total"
                    ? ["1000000000000001", "99999999999999999999", "1e30", "-1"]
                    : ["9223372036854775808", "18446744073709551616", "1E+400", "-9223372036854775809"];
                fields[fields.FindIndex(field => field.Name == huge)] = (huge, Pick(random, absurd));
                return new Arrival(topic, MessageJson.Render(fields, random), receivedAt, null, [InvalidField]);
            case 4:
                var depth = random.Next(64, 600);
                var (open, close) = random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
                fields.Add(("x", string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth))));
                return new Arrival(topic, MessageJson.Render(fields, random), receivedAt, null, [MalformedJson]);
            case 5:
                var strayTopic = random.Next(3) == 0
                    ? $"mes/{machine}/{Pick(random, ["temperature", "State", "counts", "state/x", ""])}"
                    : RandomTopic(random);
                return new Arrival(strayTopic, MessageJson.Render(fields, random), receivedAt, null, [BadTopic, UnknownSignal, UnknownMachine]);
            case 6:
                var ghost = EquipmentPath.ForMachine("plant1", "ghosts", $"g-{random.Next(50)}");
                return new Arrival(TelemetryTopic.Format("mes", ghost, signal), MessageJson.Render(fields, random), receivedAt, null, [UnknownMachine]);
            case 7:
                var old = receivedAt - Settings.MaxEventAge - TimeSpan.FromSeconds(random.Next(1, 3_000_000));
                return new Arrival(topic, MessageJson.Render(Fields(signal, old, random), random), receivedAt, null, [TooOld]);
            case 8:
                var ahead = receivedAt + Settings.MaxFutureSkew + TimeSpan.FromSeconds(random.Next(1, 30_000_000));
                return new Arrival(topic, MessageJson.Render(Fields(signal, ahead, random), random), receivedAt, null, [InFuture]);
            case 9:
                fields.Add(("padding", MessageJson.String(new string('x', random.Next(4_100, 20_000)))));
                return new Arrival(topic, MessageJson.Render(fields, random), receivedAt, null, [PayloadTooLarge]);
            case 10:
                var required = Pick(random, ["ts", signal == TelemetrySignal.State ? "state" : "total"]);
                var index = fields.FindIndex(field => field.Name == required);
                if (random.Next(2) == 0)
                {
                    fields.RemoveAt(index);
                }
                else
                {
                    fields[index] = (required, "null");
                }

                return new Arrival(topic, MessageJson.Render(fields, random), receivedAt, null, [MissingField]);
            default:
                var total = random.NextInt64(0, 1_000_000);
                var counts = Fields(TelemetrySignal.Count, receivedAt, random)
                    .Where(field => field.Name is not ("total" or "scrap"))
                    .Append(("total", MessageJson.Number(total)))
                    .Append(("scrap", MessageJson.Number(total + random.Next(1, 100))));
                return new Arrival(TelemetryTopic.Format("mes", machine, TelemetrySignal.Count), MessageJson.Render(counts, random), receivedAt, null, [InvalidField]);
        }
    }

    /// <summary>A valid message of the signal with every field it can have.</summary>
    private static List<(string Name, string Value)> Fields(TelemetrySignal signal, DateTimeOffset ts, Random random)
    {
        var fields = new List<(string Name, string Value)> { ("ts", MessageJson.String(MessageJson.Timestamp(ts, random))) };
        if (signal == TelemetrySignal.State)
        {
            fields.Add(("state", MessageJson.String(Pick(random, ["running", "down", "Idle"]))));
            fields.Add(("reason", MessageJson.String("E12")));
        }
        else
        {
            var total = random.NextInt64(100, 1_000_000);
            fields.Add(("total", MessageJson.Number(total)));
            fields.Add(("scrap", MessageJson.Number(random.NextInt64(0, 100))));
        }

        fields.Add(("seq", MessageJson.Number(random.NextInt64(0, 100_000))));
        return fields;
    }

    private static string[] WrongValues(string field) => field switch
    {
        "ts" => ["12345", "true", "{}", "[]", "\"yesterday\"", "\"2026-11-25T06:00:00\"", "\"2026-11-25\""],
        "state" => ["5", "true", "\"exploded\"", "[]", "{\"v\":\"down\"}", "\"\""],
        "reason" => ["12", "false", "[]", "{}", $"\"{new string('r', 33)}\""],
        _ => ["\"12\"", "1.5", "true", "[1]", "{\"v\":1}", "-3", "1e2"],
    };

    private static string RandomTopic(Random random)
    {
        const string alphabet = "abcXYZ019-_/+#é. $";
        var levels = Enumerable.Range(0, random.Next(0, 8))
            .Select(_ => new string(Enumerable.Range(0, random.Next(0, 10)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        return (random.Next(2) == 0 ? "mes/" : "") + string.Join('/', levels);
    }

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];

    /// <summary>A message as it arrives: valid traffic of a simulated machine, or a bad one with the reasons it may get.</summary>
    private sealed record Arrival(string Topic, byte[] Payload, DateTimeOffset ReceivedAt, SimulatedDelivery? Valid, TelemetryRejectReason[] Allowed);
}
