using MesOrleans.Plant;

namespace MesOrleans.Benchmarks;

/// <summary>A plant of N machines, 100 to a line, with one 24-hour shift in UTC so that every count is planned time.</summary>
internal static class BenchmarkPlant
{
    public const string Site = "bench";

    public static PlantModel Create(int machines) => new(
        [
            new SiteModel(Site, "Benchmark plant", "Etc/UTC",
                [new ShiftModel("Day", "00:00", "00:00", [])],
                Enumerable.Range(0, (machines + 99) / 100)
                    .Select(l => new LineModel($"line-{l}", $"Line {l}", Enumerable.Range(l * 100, Math.Min(100, machines - (l * 100)))
                        .Select(m => new MachineModel($"m-{m}", $"Machine {m}", 1))
                        .ToList()))
                    .ToList()),
        ],
        [new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false)],
        [new ScrapReasonModel("S01", "Burr", "production-reject")]);

    public static string MachineId(int machine) => $"{Site}/line-{machine / 100}/m-{machine}";
}
