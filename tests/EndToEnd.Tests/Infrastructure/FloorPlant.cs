using MesOrleans.Plant;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>A small plant in Berlin time whose one shift started two hours ago, so that every test runs inside it.</summary>
public static class FloorPlant
{
    public const string Site = "plant1";
    public const string Assembly = "assembly";
    public const string Press = "press-1";

    public static readonly string PressId = $"{Site}/{Assembly}/{Press}";

    public static PlantModel Model { get; } = Create();

    private static PlantModel Create()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin);
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, now.Offset).AddHours(-2);
        var end = start.AddHours(8);
        return new PlantModel(
            [
                new SiteModel(Site, "Werk Nord", "Europe/Berlin",
                    [new ShiftModel("Early", start.ToString("HH:mm"), end.ToString("HH:mm"), [])],
                    [
                        new LineModel(Assembly, "Assembly",
                        [
                            new MachineModel(Press, "Stamping Press 1", 12),
                            new MachineModel("press-2", "Stamping Press 2", 12),
                            new MachineModel("welder-1", "Spot Welder 1", 25, 90),
                            new MachineModel("cell-1", "Assembly Cell 1", 45, 180),
                        ]),
                        new LineModel("packaging", "Packaging",
                        [
                            new MachineModel("filler-1", "Filler 1", 2.5, 30),
                            new MachineModel("labeler-1", "Labeler 1", 3, 30),
                            new MachineModel("palletizer-1", "Palletizer 1", 60),
                        ]),
                    ]),
            ],
            [
                new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false),
                new DowntimeReasonModel("E21", "Electrical fault", "breakdown", false),
                new DowntimeReasonModel("E40", "Material jam", "breakdown", false),
                new DowntimeReasonModel("CO", "Product changeover", "setup", false),
                new DowntimeReasonModel("NM", "No material", "idle", false),
                new DowntimeReasonModel("QC", "Quality check", "quality-check", false),
                new DowntimeReasonModel("PM", "Preventive maintenance", "planned-maintenance", true),
                new DowntimeReasonModel("MTG", "Team meeting", "planned-stop", true),
            ],
            [
                new ScrapReasonModel("S01", "Burr", "production-reject"),
                new ScrapReasonModel("S02", "Dimension out of tolerance", "production-reject"),
                new ScrapReasonModel("S10", "Start-up scrap", "startup-reject"),
            ]);
    }
}
