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

    [Fact]
    public void Products_with_their_machine_times_and_a_lines_counting_machine_survive_the_draft()
    {
        var model = new PlantModel(
            [
                new SiteModel("plant1", "Plant 1", "Europe/Berlin", [],
                    [new LineModel("assembly", "Assembly", [new MachineModel("press-1", "Press 1", 30), new MachineModel("press-2", "Press 2", 30)], CountingMachineId: "press-1")]),
            ],
            [],
            [],
            [new ProductModel("BRK-1.2", "Bracket", 40, new Dictionary<string, double> { ["press-1"] = 28.5, ["plant1/assembly/press-2"] = 35 }), new ProductModel("CAP-1", "Cap", 5)]);

        var draft = PlantDraft.From(model, PlantDraft.KeysOf(model));
        Assert.Equal("press-1=28.5, plant1/assembly/press-2=35", draft.Products[0].MachineTimes);

        Assert.Equal(PlantModelJson.Write(model), PlantModelJson.Write(draft.ToModel()));
    }

    [Fact]
    public void A_machine_time_that_is_not_a_number_is_kept_for_validation_to_name()
    {
        var times = ProductDraft.Times("press-1 = 28; press-2=fast, press-3");

        Assert.Equal(28, times!["press-1"]);
        Assert.True(double.IsNaN(times["press-2"]));
        Assert.True(double.IsNaN(times["press-3"]));
        Assert.Null(ProductDraft.Times(" "));
    }

    [Fact]
    public void Calendars_categories_and_scrap_reason_scopes_survive_the_draft()
    {
        var model = new PlantModel(
            [
                new SiteModel("plant1", "Plant 1", "Europe/Berlin",
                    [new ShiftModel("Early", "06:00", "14:00", [], ["mon", "tue", "wed", "thu", "fri"])],
                    [new LineModel("assembly", "Assembly", [new MachineModel("press-3", "Press 3", 30, Category: "press")])],
                    ["2026-12-25"],
                    [
                        new CalendarExceptionModel("2026-11-28", CalendarExceptionModel.ShiftKind, "Extra Saturday", "06:00", "12:00", [new BreakModel("09:00", "09:15")]),
                        new CalendarExceptionModel("2026-12-02", CalendarExceptionModel.PlannedStopKind, "Press service", "06:00", "10:00"),
                    ]),
            ],
            [],
            [new ScrapReasonModel("S01", "Burr", "production-reject", ["plant1/assembly"], ["press"])]);

        var back = PlantDraft.From(model, PlantDraft.KeysOf(model)).ToModel();

        Assert.Equal(PlantModelJson.Write(model), PlantModelJson.Write(back));
    }

    [Fact]
    public void Turning_every_weekday_back_on_means_every_day()
    {
        var shift = new ShiftDraft();

        shift.Toggle("sun");
        Assert.Equal(["mon", "tue", "wed", "thu", "fri", "sat"], shift.Days);
        shift.Toggle("sun");
        Assert.Null(shift.Days);
    }
}
