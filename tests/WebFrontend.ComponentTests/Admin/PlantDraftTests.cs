using MesOrleans.Plant;
using MesOrleans.WebFrontend.Admin;

namespace MesOrleans.WebFrontend.ComponentTests.Admin;

public sealed class PlantDraftTests
{
    [Fact]
    public void A_model_survives_the_draft_unchanged_including_settings_the_page_does_not_show()
    {
        var model = new PlantModel(
            [
                new SiteModel("plant1", "Plant 1", "Europe/Berlin",
                    [new ShiftModel("Night", "22:00", "06:00", [new BreakModel("02:00", "02:30")])],
                    [new LineModel("assembly", "Assembly", [new MachineModel("press-3", "Press 3", 30, 90, 600, 20)])]),
            ],
            [new DowntimeReasonModel("PM", "Preventive maintenance", "planned-maintenance", true)],
            [new ScrapReasonModel("S01", "Burr", "production-reject")]);

        var back = PlantDraft.From(model, PlantDraft.KeysOf(model)).ToModel();

        Assert.Equal(PlantModelJson.Write(model), PlantModelJson.Write(back));
    }
}
