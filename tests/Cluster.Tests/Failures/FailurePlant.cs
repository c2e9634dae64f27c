using MesOrleans.Plant;

namespace MesOrleans.Cluster.Tests.Failures;

/// <summary>
/// Twelve machines on two lines of one site whose one shift lies around the real clock, so that every count lands in
/// the current shift. Ideal cycles are long enough that a machine delayed by a failure does not get a no-count stop.
/// </summary>
internal static class FailurePlant
{
    public const string Site = "works";

    public static DateTimeOffset ShiftStart { get; } = StartOfMinute(DateTimeOffset.UtcNow).AddHours(-6);

    public static IReadOnlyList<string> Machines { get; } =
        [.. from line in new[] { "press", "paint" } from n in Enumerable.Range(1, 6) select $"{Site}/{line}/m{n}"];

    public static PlantModel Model { get; } = new(
        [
            new SiteModel(Site, "Works", "Etc/UTC",
                [new ShiftModel("Long day", ShiftStart.ToString("HH:mm"), ShiftStart.AddHours(12).ToString("HH:mm"), [])],
                Machines.GroupBy(m => m.Split('/')[1])
                    .Select(line => new LineModel(line.Key, line.Key, [.. line.Select(m => new MachineModel(m.Split('/')[2], m, 10, NoCountStopCycles: 10_000))]))
                    .ToList()),
        ],
        [new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false)],
        [new ScrapReasonModel("S01", "Burr", "production-reject")]);

    private static DateTimeOffset StartOfMinute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);
}
