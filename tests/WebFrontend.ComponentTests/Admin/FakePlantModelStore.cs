using MesOrleans.Plant;
using MesOrleans.WebFrontend.Admin;

namespace MesOrleans.WebFrontend.ComponentTests.Admin;

/// <summary>The plant model in memory; <see cref="Refuse"/> stands in for the grain's validation.</summary>
internal sealed class FakePlantModelStore(PlantModel model) : IPlantModelStore
{
    public PlantModelSnapshot Current { get; private set; } = new(1, model, []);

    public List<PlantModel> Attempts { get; } = [];

    public Exception? Refuse { get; set; }

    public Task<PlantModelSnapshot> GetAsync() => Task.FromResult(Current);

    public Task<PlantModelSnapshot> ApplyAsync(PlantModel model)
    {
        Attempts.Add(model);
        if (Refuse is not null)
        {
            return Task.FromException<PlantModelSnapshot>(Refuse);
        }

        var retired = Current.Model.Sites.SelectMany(s => s.Lines.SelectMany(l => l.Machines.Select(m => $"{s.Id}/{l.Id}/{m.Id}")))
            .Except(model.Sites.SelectMany(s => s.Lines.SelectMany(l => l.Machines.Select(m => $"{s.Id}/{l.Id}/{m.Id}"))))
            .ToList();
        Current = new PlantModelSnapshot(Current.Version + 1, model, retired);
        return Task.FromResult(Current);
    }

    public static PlantModel Plant { get; } = new(
        [
            new SiteModel("plant1", "Plant 1", "Europe/Berlin",
                [new ShiftModel("Early", "06:00", "14:00", [new BreakModel("09:00", "09:15")])],
                [new LineModel("assembly", "Assembly", [new MachineModel("press-1", "Press 1", 30, 120), new MachineModel("press-2", "Press 2", 20)])]),
        ],
        [
            new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false),
            new DowntimeReasonModel("PM", "Preventive maintenance", "planned-maintenance", true),
        ],
        [new ScrapReasonModel("S01", "Burr", "production-reject")]);
}
