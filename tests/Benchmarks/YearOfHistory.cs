using MesOrleans.Machines;
using MesOrleans.Plant;

namespace MesOrleans.Benchmarks;

/// <summary>
/// A plant's history as its machines would have logged it, seeded and statistical: one site of 20 lines × 10 machines
/// on two shifts (06:00–14:00 and 14:00–22:00, Monday to Friday, a half-hour break each, public holidays), running
/// between stops — micro-stops without a reason, breakdowns with one, a changeover to the next product — and counting
/// as a gateway forwards counts: parts made since the last message, once a minute while running. A few scrap parts
/// carry a reason; some scrap gets a reason afterwards; some breakdowns are re-coded by a supervisor later.
/// </summary>
internal sealed class YearOfHistory(int machines, DateOnly firstDay, int seed, TimeSpan countEvery)
{
    public const string Site = "plant";
    private const int MachinesPerLine = 10;

    private static readonly string[] Breakdowns = ["E12", "E20", "E31", "JAM", "MAT", "ELEC"];
    private static readonly string[] ScrapReasons = ["S01", "S02", "S03"];
    private static readonly (string Start, string End)[] Shifts = [("06:00", "14:00"), ("14:00", "22:00")];
    private static readonly (string Start, string End)[] Breaks = [("09:00", "09:30"), ("18:00", "18:30")];

    private readonly Random _random = new(seed);
    private readonly Dictionary<string, long> _sequences = [];
    private readonly Dictionary<string, int> _products = [];
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static IReadOnlyList<string> Holidays { get; } =
    [
        "2025-12-24", "2025-12-25", "2025-12-26", "2025-12-31", "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01",
        "2026-05-14", "2026-05-25", "2026-10-03", "2026-12-24", "2026-12-25",
    ];

    public PlantModel Plant() => new(
        [
            new SiteModel(Site, "Plant", "Europe/Berlin",
                [
                    new ShiftModel("Early", Shifts[0].Start, Shifts[0].End, [new BreakModel(Breaks[0].Start, Breaks[0].End)], ["mon", "tue", "wed", "thu", "fri"]),
                    new ShiftModel("Late", Shifts[1].Start, Shifts[1].End, [new BreakModel(Breaks[1].Start, Breaks[1].End)], ["mon", "tue", "wed", "thu", "fri"]),
                ],
                Enumerable.Range(0, (machines + MachinesPerLine - 1) / MachinesPerLine)
                    .Select(l => new LineModel(LineId(l), $"Line {l + 1}", Enumerable.Range(l * MachinesPerLine, Math.Min(MachinesPerLine, machines - (l * MachinesPerLine)))
                        .Select(m => new MachineModel($"m-{m % MachinesPerLine}", $"Machine {m}", CycleSeconds(m)))
                        .ToList()))
                    .ToList(),
                Holidays),
        ],
        [
            new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false),
            new DowntimeReasonModel("E20", "Motor overload", "breakdown", false),
            new DowntimeReasonModel("E31", "Sensor fault", "breakdown", false),
            new DowntimeReasonModel("JAM", "Jam", "minor-stop", false),
            new DowntimeReasonModel("MAT", "No material", "material", false),
            new DowntimeReasonModel("ELEC", "Power dip", "breakdown", false),
            new DowntimeReasonModel("CO", "Changeover", "changeover", false),
            new DowntimeReasonModel("BRK", "Break", "break", true),
        ],
        [
            new ScrapReasonModel("S01", "Burr", "production-reject"),
            new ScrapReasonModel("S02", "Scratch", "production-reject"),
            new ScrapReasonModel("S03", "Start-up", "startup-reject"),
        ]);

    public IEnumerable<string> MachineIds() => Enumerable.Range(0, machines).Select(MachineId);

    public static string LineId(int line) => $"line-{line + 1:00}";

    public static string MachineId(int machine) => $"{Site}/{LineId(machine / MachinesPerLine)}/m-{machine % MachinesPerLine}";

    /// <summary>Each machine's events of local day <paramref name="day"/>, numbered after those of earlier days.</summary>
    public IEnumerable<(string Machine, List<MachineEvent> Events)> Day(int day)
    {
        var date = firstDay.AddDays(day);
        var works = date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.Contains(date.ToString("yyyy-MM-dd"));
        for (var m = 0; m < machines; m++)
        {
            var id = MachineId(m);
            var events = new List<MachineEvent>();
            if (works)
            {
                foreach (var (shift, index) in Shifts.Select((s, i) => (s, i)))
                {
                    Shift(events, id, m, At(date, shift.Start), At(date, shift.End), At(date, Breaks[index].Start), At(date, Breaks[index].End));
                }
            }

            var sequence = _sequences.GetValueOrDefault(id);
            var numbered = events.Select(e => e with { Sequence = ++sequence }).ToList();
            _sequences[id] = sequence;
            yield return (id, numbered);
        }
    }

    private DateTimeOffset At(DateOnly date, string time)
    {
        var local = date.ToDateTime(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture));
        return new DateTimeOffset(local, _zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static double CycleSeconds(int machine) => 6 + (machine * 7 % 25);

    private void Shift(List<MachineEvent> events, string id, int machine, DateTimeOffset start, DateTimeOffset end, DateTimeOffset breakStart, DateTimeOffset breakEnd)
    {
        var cycle = TimeSpan.FromSeconds(CycleSeconds(machine));
        var speed = 0.82 + (_random.NextDouble() * 0.15);
        var product = _products.GetValueOrDefault(id);
        var made = 0.0;
        var t = start;
        var onBreak = false;
        events.Add(State(id, t, MachineState.Running, null));
        while (t < end)
        {
            // Running until the next stop, the break or the shift's end; counts once a minute meanwhile.
            var stopAt = t + TimeSpan.FromMinutes(Exponential(18));
            var runUntil = Min(stopAt, !onBreak && t <= breakStart ? breakStart : end);
            var mark = t;
            while (mark < runUntil)
            {
                var next = Min(mark + countEvery, runUntil);
                made += (next - mark) / cycle * speed;
                var parts = (long)made;
                made -= parts;
                if (parts > 0)
                {
                    events.Add(Count(id, next, parts, product, cycle));
                }

                mark = next;
            }

            t = runUntil;
            if (t >= end)
            {
                break;
            }

            if (t == breakStart && !onBreak)
            {
                onBreak = true;
                events.Add(State(id, t, MachineState.Planned, "BRK"));
                t = breakEnd;
                events.Add(State(id, t, MachineState.Running, null));
                continue;
            }

            var roll = _random.Next(100);
            var (state, reason, length) = roll switch
            {
                < 72 => (MachineState.Idle, (string?)null, TimeSpan.FromSeconds(_random.Next(15, 110))),
                < 95 => (MachineState.Down, Breakdowns[_random.Next(Breakdowns.Length)], TimeSpan.FromMinutes(2 + Exponential(12))),
                _ => (MachineState.Changeover, "CO", TimeSpan.FromMinutes(_random.Next(15, 45))),
            };
            var stop = State(id, t, state, reason);
            events.Add(stop);
            // A stop that reaches the break ends there: the break is planned whatever the machine was doing.
            t = Min(t + length, end);
            if (!onBreak && t > breakStart)
            {
                t = breakStart;
            }

            if (state == MachineState.Changeover)
            {
                _products[id] = product = (product + 1) % 6;
            }

            if (state == MachineState.Down && _random.Next(100) < 15)
            {
                // A supervisor re-codes the stop at the end of the shift.
                events.Add(new MachineEvent(Guid.NewGuid(), id, MachineEventKind.StopRecoded, stop.Timestamp, end, EventSource.Operator)
                {
                    RefersTo = stop.Id,
                    ReasonCode = Breakdowns[_random.Next(Breakdowns.Length)],
                    Actor = "supervisor",
                });
            }

            if (t < end && (onBreak || t != breakStart))
            {
                events.Add(State(id, t, MachineState.Running, null));
            }
        }

        if (_random.Next(3) == 0)
        {
            // Scrap found at the quality gate, given a reason afterwards.
            events.Add(new MachineEvent(Guid.NewGuid(), id, MachineEventKind.ScrapReasoned, end.AddMinutes(-5), end, EventSource.Operator)
            {
                ScrapDelta = _random.Next(1, 4),
                ReasonCode = "S02",
                Actor = "quality",
            });
        }

        events.Add(State(id, end, MachineState.Idle, null));
    }

    private MachineEvent Count(string id, DateTimeOffset at, long parts, int product, TimeSpan cycle)
    {
        var scrap = _random.Next(100) < 4 ? Math.Min(parts, _random.Next(1, 4)) : 0;
        return new MachineEvent(Guid.NewGuid(), id, MachineEventKind.Counted, at, at.AddSeconds(1), EventSource.Telemetry)
        {
            TotalDelta = parts,
            ScrapDelta = scrap,
            ReasonCode = scrap > 0 ? ScrapReasons[_random.Next(ScrapReasons.Length)] : null,
            PartNumber = $"P-{product + 100}",
            IdealCycleTime = cycle,
        };
    }

    private static MachineEvent State(string id, DateTimeOffset at, MachineState state, string? reason) =>
        new(Guid.NewGuid(), id, MachineEventKind.StateChanged, at, at.AddSeconds(1), EventSource.Telemetry) { State = state, ReasonCode = reason };

    private double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
