using MesOrleans.Machines;

namespace MesOrleans.Tests.Reports.Rollup;

/// <summary>Random machine histories for rollup tests: states in and out of order, counts, and corrections of anything earlier.</summary>
internal static class RollupHistories
{
    public static readonly string[] Machines = ["plant1/assembly/press-1", "plant1/assembly/press-2", "plant1/packaging/filler-1"];

    // Over the spring-forward night in Berlin.
    public static readonly DateTimeOffset Start = new(2026, 3, 27, 20, 0, 0, TimeSpan.Zero);

    private static readonly string?[] Reasons = [null, "E12", "PM", "JAM"];
    private static readonly string?[] ScrapReasons = [null, "S01", "S02"];

    /// <summary>The events numbered per machine in their order, as the machine grains number them.</summary>
    public static List<MachineEvent> Number(IEnumerable<MachineEvent> events)
    {
        var numbers = new Dictionary<string, long>();
        return events.Select(e => e with { Sequence = numbers[e.MachineId] = numbers.GetValueOrDefault(e.MachineId) + 1 }).ToList();
    }

    // Two days of three machines: mostly in order, a fair share late, and corrections of anything earlier.
    public static List<MachineEvent> Generate(Random random, int count)
    {
        var events = new List<MachineEvent>();
        var clock = Start;
        var recorded = Start;
        var states = Enum.GetValues<MachineState>();
        for (var i = 0; i < count; i++)
        {
            var machine = Machines[random.Next(Machines.Length)];
            clock += TimeSpan.FromSeconds(random.Next(5, 900));
            recorded += TimeSpan.FromSeconds(random.Next(1, 60));
            var at = random.Next(6) == 0 ? clock - TimeSpan.FromSeconds(random.Next(1, 6 * 3600)) : clock;
            var mine = events.Where(e => e.MachineId == machine).ToList();
            var stops = mine.Where(e => e.Kind == MachineEventKind.StateChanged).ToList();
            var entries = mine.Where(e => e.Kind == MachineEventKind.Counted).ToList();
            var roll = random.Next(100);
            MachineEvent e = roll switch
            {
                < 35 => New(machine, MachineEventKind.StateChanged, at, recorded) with
                {
                    State = states[random.Next(states.Length)],
                    ReasonCode = Reasons[random.Next(Reasons.Length)],
                },
                < 66 => New(machine, MachineEventKind.Counted, at, recorded) with
                {
                    TotalDelta = random.Next(0, 40),
                    ScrapDelta = random.Next(3) == 0 ? random.Next(1, 4) : 0,
                    ReasonCode = ScrapReasons[random.Next(ScrapReasons.Length)],

                    // As the grain records them: the running product's cycle time; none before the MES kept it.
                    IdealCycleTime = random.Next(4) switch { 0 => null, 1 => TimeSpan.FromSeconds(7), _ => TimeSpan.FromSeconds(30) },
                    PartNumber = random.Next(2) == 0 ? null : "P-100",
                },
                < 70 => New(machine, MachineEventKind.ScrapReasoned, at, recorded) with
                {
                    ScrapDelta = random.Next(1, 3),
                    ReasonCode = "S01",
                },
                < 78 when entries.Count > 0 => Correct(machine, MachineEventKind.Voided, entries[random.Next(entries.Count)], recorded),
                < 90 when stops.Count > 0 => Correct(machine, MachineEventKind.StopRecoded, stops[random.Next(stops.Count)], recorded) with
                {
                    ReasonCode = Reasons[random.Next(Reasons.Length)] ?? "E12",
                },
                < 100 when stops.Count > 0 => Split(machine, stops[random.Next(stops.Count)], random, recorded),
                _ => New(machine, MachineEventKind.Counted, at, recorded) with { TotalDelta = 1 },
            };

            // Scrap is part of the total, as the grain records it.
            events.Add(e.Kind == MachineEventKind.Counted ? e with { TotalDelta = e.TotalDelta + e.ScrapDelta } : e);
        }

        return events;
    }

    private static MachineEvent New(string machine, MachineEventKind kind, DateTimeOffset at, DateTimeOffset recorded) =>
        new(Guid.NewGuid(), machine, kind, at, recorded, EventSource.Operator);

    private static MachineEvent Correct(string machine, MachineEventKind kind, MachineEvent target, DateTimeOffset recorded) =>
        New(machine, kind, target.Timestamp, recorded) with { RefersTo = target.Id };

    private static MachineEvent Split(string machine, MachineEvent stop, Random random, DateTimeOffset recorded) =>
        New(machine, MachineEventKind.StopSplit, stop.Timestamp + TimeSpan.FromSeconds(random.Next(-60, 3 * 3600)), recorded) with
        {
            RefersTo = stop.Id,
            ReasonCode = Reasons[random.Next(Reasons.Length)] ?? "E12",
        };
}
