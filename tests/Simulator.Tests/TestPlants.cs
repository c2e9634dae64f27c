using MesOrleans.Plant;

namespace MesOrleans.Simulator.Tests;

/// <summary>Plants and instants the tests simulate.</summary>
internal static class TestPlants
{
    /// <summary>Monday 2 March 2026, 06:00 in Berlin (CET, UTC+1): the demo plant's early shift begins.</summary>
    public static readonly DateTimeOffset EarlyShiftStart = new(2026, 3, 2, 5, 0, 0, TimeSpan.Zero);

    /// <summary>14:00 in Berlin, when the early shift ends.</summary>
    public static readonly DateTimeOffset EarlyShiftEnd = EarlyShiftStart.AddHours(8);

    /// <summary>A site in UTC working around the clock but for a break at 12:00–12:30, with three machines.</summary>
    public static PlantModel Small { get; } = new(
        [
            new SiteModel("test", "Test", "Etc/UTC",
                [new ShiftModel("Day", "00:00", "00:00", [new BreakModel("12:00", "12:30")])],
                [
                    new LineModel("line", "Line",
                    [
                        new MachineModel("fast", "Fast", 1),
                        new MachineModel("medium", "Medium", 5),
                        new MachineModel("slow", "Slow", 30),
                    ]),
                ]),
        ],
        DemoPlant.Model.DowntimeReasons,
        DemoPlant.Model.ScrapReasons);

    public static int MachineCount(PlantModel model) => model.Sites.Sum(s => s.Lines.Sum(l => l.Machines.Count));
}
