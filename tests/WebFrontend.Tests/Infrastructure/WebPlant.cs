using MesOrleans.Plant;

namespace MesOrleans.WebFrontend.Tests.Infrastructure;

/// <summary>A small plant whose one UTC shift started three hours ago, so tests can record at known instants in it.</summary>
public static class WebPlant
{
    public const string Site = "plant1";
    public const string Line = "assembly";
    public const string Press = "press-3";
    public const string Welder = "welder-1";

    public static DateTimeOffset ShiftStart { get; } = StartOfMinute(DateTimeOffset.UtcNow).AddHours(-3);

    public static string MachineUrl(string machine) => $"/api/sites/{Site}/lines/{Line}/machines/{machine}";

    public static PlantModel Model { get; } = new(
        [
            new SiteModel(Site, "Plant 1", "Etc/UTC",
                [new ShiftModel("Day", ShiftStart.ToString("HH:mm"), ShiftStart.AddHours(8).ToString("HH:mm"), [])],
                [
                    new LineModel(Line, "Assembly",
                    [
                        new MachineModel(Press, "Press 3", 20, 120),
                        new MachineModel(Welder, "Welder 1", 30),
                    ]),
                ]),
        ],
        [
            new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false),
            new DowntimeReasonModel("PM", "Preventive maintenance", "planned-maintenance", true),
        ],
        [new ScrapReasonModel("S01", "Burr", "production-reject")]);

    private static DateTimeOffset StartOfMinute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);
}
