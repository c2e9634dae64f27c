using MesOrleans.Plant;

namespace MesOrleans.Simulator;

/// <summary>
/// A plant of many identical machines for load tests: site <c>sim</c>, lines of <see cref="MachinesPerLine"/>
/// machines, ids <c>sim/line-{k}/m-{i}</c>, one shift around the clock in UTC so that every machine always produces,
/// and the demo plant's reason codes.
/// </summary>
public static class SyntheticPlant
{
    /// <summary>Machines on each line.</summary>
    public const int MachinesPerLine = 20;

    /// <summary>The site id.</summary>
    public const string SiteId = "sim";

    // Fast enough that counters change between most reports, slow enough that a simulated part is cheap at scale.
    private const double IdealCycleTimeSeconds = 2;

    /// <summary>A plant model with <paramref name="machines"/> machines (at least 1); it passes validation.</summary>
    public static PlantModel Create(int machines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(machines, 1);
        var lines = Enumerable.Range(0, machines)
            .GroupBy(i => i / MachinesPerLine)
            .Select(g => new LineModel(
                $"line-{g.Key}",
                $"Line {g.Key}",
                g.Select(i => new MachineModel($"m-{i}", $"Machine {i}", IdealCycleTimeSeconds)).ToList()))
            .ToList();
        return new PlantModel(
            [new SiteModel(SiteId, "Simulated plant", "Etc/UTC", [new ShiftModel("Around the clock", "00:00", "00:00", [])], lines)],
            DemoPlant.Model.DowntimeReasons,
            DemoPlant.Model.ScrapReasons);
    }

    /// <summary>
    /// Settings under which <paramref name="machines"/> machines send about <paramref name="messagesPerSecond"/>
    /// messages a second of simulated time in total: each repeats its counters every machines / rate seconds (at
    /// least a millisecond), and state changes add a few more.
    /// </summary>
    public static SimulationSettings Settings(int machines, double messagesPerSecond, string topicPrefix)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(machines, 1);
        if (!double.IsFinite(messagesPerSecond) || messagesPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(messagesPerSecond), messagesPerSecond, "The message rate must be a positive number.");
        }

        var interval = TimeSpan.FromMilliseconds(Math.Max(1, Math.Round(machines * 1000 / messagesPerSecond)));
        return new SimulationSettings { TopicPrefix = topicPrefix, CountInterval = interval, RepeatUnchangedCounts = true };
    }
}
