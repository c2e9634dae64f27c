using MesOrleans.Plant;

namespace MesOrleans.Simulator;

/// <summary>
/// Every machine of a plant model, simulated on a virtual clock: nothing happens until <see cref="Advance"/> moves
/// simulated time on, and the same model, start, seed and settings always give the same messages.
/// </summary>
public sealed class PlantSimulation
{
    private readonly List<MachineSimulation> _machines = [];

    /// <summary>A simulation of <paramref name="model"/> (a validated plant model) from <paramref name="start"/>.</summary>
    /// <param name="model">The plant: its sites' shifts and time zones, machines and reason codes.</param>
    /// <param name="start">Simulated time begins here, cut to whole milliseconds.</param>
    /// <param name="seed">Seeds every random draw.</param>
    /// <param name="settings">How machines report; null for the defaults.</param>
    public PlantSimulation(PlantModel model, DateTimeOffset start, int seed, SimulationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        settings ??= new SimulationSettings();
        settings.Validate();

        Seed = seed;
        Start = new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        Now = Start;

        // Each machine draws from its own generator, seeded in plant model order, so that one machine's events
        // never shift another's.
        var seeds = new Random(seed);
        var reasons = ReasonCatalog.From(model);
        foreach (var site in model.Sites)
        {
            var calendar = ProductionCalendar.Create(site);
            foreach (var line in site.Lines)
            {
                foreach (var machine in line.Machines)
                {
                    _machines.Add(new MachineSimulation(
                        EquipmentPath.ForMachine(site.Id, line.Id, machine.Id),
                        machine,
                        calendar,
                        reasons,
                        settings,
                        new Random(seeds.Next()),
                        Start));
                }
            }
        }
    }

    /// <summary>The seed that reproduces this simulation.</summary>
    public int Seed { get; }

    /// <summary>Where simulated time began.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>How far simulated time has advanced.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>
    /// Moves simulated time on to <paramref name="to"/> and returns the messages the machines sent meanwhile, ordered
    /// by time (then by machine in plant model order, then by sequence). The first call also returns each machine's
    /// state and counters at <see cref="Start"/>.
    /// </summary>
    public IEnumerable<TelemetryMessage> Advance(DateTimeOffset to)
    {
        if (to < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"Simulated time is already at {Now:O} and cannot go back.");
        }

        var messages = new List<TelemetryMessage>();
        foreach (var machine in _machines)
        {
            machine.Advance(to, messages);
        }

        Now = to;

        // A stable sort keeps each machine's own order, which is already by time and sequence.
        return messages.OrderBy(m => m.Timestamp).ToList();
    }

    /// <summary>What every machine has really done and published up to <see cref="Now"/>.</summary>
    public GroundTruth GroundTruth => new(Seed, Start, Now, _machines.Select(m => m.Truth()).ToList());
}
