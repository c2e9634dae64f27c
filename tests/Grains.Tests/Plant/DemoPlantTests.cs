using MesOrleans.Plant;

namespace MesOrleans.Tests.Plant;

public sealed class DemoPlantTests
{
    [Fact]
    public void Demo_plant_is_valid() => Assert.Empty(PlantModelValidator.Validate(DemoPlant.Model));

    [Fact]
    public void Demo_plant_has_one_site_with_three_shifts_and_two_lines_of_four_machines()
    {
        var site = Assert.Single(DemoPlant.Model.Sites);

        Assert.Equal(("plant1", "Europe/Berlin"), (site.Id, site.TimeZone));
        Assert.Equal(["Early", "Late", "Night"], site.Shifts.Select(shift => shift.Name));
        Assert.Equal(["assembly", "packaging"], site.Lines.Select(line => line.Id));
        Assert.All(site.Lines, line => Assert.Equal(4, line.Machines.Count));
    }

    [Fact]
    public void Demo_reasons_cover_losses_and_planned_stops()
    {
        var downtime = DemoPlant.Model.DowntimeReasons;

        Assert.True(downtime.Count >= 10);
        Assert.Contains(downtime, reason => reason is { Code: "E12", Category: "breakdown", Planned: false });
        Assert.Contains(downtime, reason => reason is { Category: "planned-maintenance", Planned: true });
        Assert.All(downtime.Where(reason => reason.Category is "breakdown" or "setup" or "minor-stop" or "idle"), reason => Assert.False(reason.Planned));
        Assert.True(DemoPlant.Model.ScrapReasons.Count >= 5);
        Assert.Contains(DemoPlant.Model.ScrapReasons, reason => reason.Category == "startup-reject");
    }
}
