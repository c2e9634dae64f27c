using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Telemetry;

namespace MesOrleans.Tests.Telemetry;

/// <summary>
/// One machine's valid telemetry as a flaky network delivers it: cumulative counters that rise and sometimes reset,
/// scrap sometimes left out, messages lost and messages delivered twice (at once or a little later), and the
/// sequence numbering restarted now and then. It knows the parts truly made after the baseline, which the
/// counters must add up to exactly.
/// </summary>
internal sealed class SimulatedMachine
{
    private static readonly string[] StateNames = ["running", "IDLE", "Down", "planned", "changeover", "Offline"];

    public SimulatedMachine(EquipmentPath machine, bool sendsSequence, int readings, DateTimeOffset start, Random random)
    {
        Machine = machine;
        SendsSequence = sendsSequence;
        Deliveries = Deliver(Read(readings, start, random), random);
    }

    public EquipmentPath Machine { get; }

    public bool SendsSequence { get; }

    public long TrueTotal { get; private set; }

    public long TrueScrap { get; private set; }

    /// <summary>What arrives, in the order it arrives.</summary>
    public IReadOnlyList<SimulatedDelivery> Deliveries { get; }

    private enum CounterReset
    {
        None,
        Total,
        ScrapOnly,
    }

    private List<Reading> Read(int count, DateTimeOffset start, Random random)
    {
        var readings = new List<Reading>(count);
        var clock = start;
        var total = random.NextInt64(1_000, 100_000);
        var scrap = random.NextInt64(0, 500);
        var sequence = random.NextInt64(0, 1_000);
        var epoch = 0;
        var counted = false;
        for (var i = 0; i < count; i++)
        {
            clock = clock.AddSeconds(random.Next(1, 6)).AddMilliseconds(random.Next(1_000));
            if (i > 0 && random.Next(50) == 0)
            {
                sequence = 0;
                epoch++;
            }
            else
            {
                sequence++;
            }

            var seq = SendsSequence ? sequence : (long?)null;
            if (random.Next(10) < 3)
            {
                readings.Add(new Reading(clock, TelemetrySignal.State, 0, 0, CounterReset.None, seq, epoch));
                continue;
            }

            var reset = CounterReset.None;
            if (counted)
            {
                // Made since the last reading; a reset lands below the old value, so it is told from a rise.
                var made = random.Next(0, 21);
                var scrapped = random.Next(0, Math.Min(made, 3) + 1);
                reset = total > 100 && random.Next(33) == 0 ? CounterReset.Total
                    : scrap > 10 && random.Next(20) == 0 ? CounterReset.ScrapOnly
                    : CounterReset.None;
                total = reset == CounterReset.Total ? made : total + made;
                scrap = reset == CounterReset.None ? scrap + scrapped : scrapped;
                TrueTotal += made;
                TrueScrap += scrapped;
            }

            counted = true;
            readings.Add(new Reading(clock, TelemetrySignal.Count, total, scrap, reset, seq, epoch));
        }

        return readings;
    }

    private List<SimulatedDelivery> Deliver(List<Reading> readings, Random random)
    {
        var counts = readings.Where(reading => reading.Signal == TelemetrySignal.Count).ToList();
        var deliveries = new List<SimulatedDelivery>();
        var copies = new List<(int Due, SimulatedDelivery Copy)>();
        var countIndex = 0;
        for (var i = 0; i < readings.Count; i++)
        {
            var reading = readings[i];
            var index = reading.Signal == TelemetrySignal.Count ? countIndex++ : -1;

            // Parts made between the last count before a reset and the reset cannot be told by any receiver, so that
            // count, the reset itself, the first and the last count always arrive, with scrap.
            var mustArrive = index == 0
                || index == counts.Count - 1
                || (index >= 0 && counts[index].Reset != CounterReset.None)
                || (index >= 0 && index + 1 < counts.Count && counts[index + 1].Reset != CounterReset.None);
            if (mustArrive || random.Next(20) != 0)
            {
                var withScrap = mustArrive || random.Next(4) != 0;
                var expected = reading.Signal == TelemetrySignal.State ? TelemetryClassification.Applied
                    : index == 0 ? TelemetryClassification.Baseline
                    : reading.Reset == CounterReset.Total ? TelemetryClassification.Reset
                    : TelemetryClassification.Applied;
                var delivery = new SimulatedDelivery(
                    TelemetryTopic.Format("mes", Machine, reading.Signal),
                    Render(reading, withScrap, random),
                    reading.Timestamp,
                    reading.Timestamp.AddMilliseconds(random.Next(2_000)),
                    reading.Signal,
                    reading.Epoch,
                    expected);
                deliveries.Add(delivery);
                if (random.Next(5) == 0)
                {
                    var copy = delivery with { ReceivedAt = delivery.ReceivedAt.AddSeconds(30), IsCopy = true, Expected = null };
                    copies.Add((i + random.Next(0, 4), copy));
                }
            }

            deliveries.AddRange(copies.Where(copy => copy.Due <= i).Select(copy => copy.Copy));
            copies.RemoveAll(copy => copy.Due <= i);
        }

        deliveries.AddRange(copies.Select(copy => copy.Copy));
        return deliveries;
    }

    private static byte[] Render(Reading reading, bool withScrap, Random random)
    {
        // Now and then a name written with an escape, which is the same name to JSON.
        var tsName = random.Next(10) == 0 ? "\\u0074s" : "ts";
        var fields = new List<(string Name, string Value)> { (tsName, MessageJson.String(MessageJson.Timestamp(reading.Timestamp, random))) };
        if (reading.Signal == TelemetrySignal.State)
        {
            fields.Add(("state", MessageJson.String(StateNames[random.Next(StateNames.Length)])));
            if (random.Next(2) == 0)
            {
                fields.Add(("reason", random.Next(5) == 0 ? "null" : MessageJson.String($"E{random.Next(100)}")));
            }
        }
        else
        {
            fields.Add(("total", MessageJson.Number(reading.Total)));
            if (withScrap)
            {
                fields.Add(("scrap", MessageJson.Number(reading.Scrap)));
            }
        }

        if (reading.Sequence is { } sequence)
        {
            fields.Add(("seq", MessageJson.Number(sequence)));
        }

        return MessageJson.Render(fields, random);
    }

    private sealed record Reading(
        DateTimeOffset Timestamp,
        TelemetrySignal Signal,
        long Total,
        long Scrap,
        CounterReset Reset,
        long? Sequence,
        int Epoch);
}
