using MesOrleans.Plant;

namespace MesOrleans.Tests.Cluster;

/// <summary>
/// A plant whose one shift is placed around the real clock, so that tests record events at known instants inside
/// the current shift without a fake clock (the silo's own timers need the real one).
/// </summary>
public sealed record ClusterPlant(PlantModel Model, DateTimeOffset ShiftStart, DateTimeOffset ShiftEnd)
{
    public const string SiteId = "test";
    public const string LineId = "line1";

    public static ClusterPlant StartedHoursAgo(int hours)
    {
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddHours(-hours);
        var end = start.AddHours(8);
        var model = new PlantModel(
            [
                new SiteModel(SiteId, "Test site", "Etc/UTC",
                    [new ShiftModel("Day", start.ToString("HH:mm"), end.ToString("HH:mm"), [])],
                    [new LineModel(LineId, "Line 1", [])]),
            ],
            [
                new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false),
                new DowntimeReasonModel("JAM", "Jam", "minor-stop", false),
                new DowntimeReasonModel("PM", "Preventive maintenance", "planned-maintenance", true),
            ],
            [new ScrapReasonModel("S01", "Burr", "production-reject")]);
        return new ClusterPlant(model, start, end);
    }
}
