using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.Telemetry;
using MesOrleans.WebFrontend.Admin;
using MesOrleans.WebFrontend.Components.Pages.Admin;
using MesOrleans.WebFrontend.Telemetry;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Radzen.Blazor;

namespace MesOrleans.WebFrontend.ComponentTests.Admin;

public sealed class PlantAdminTests : RadzenContext
{
    private const string CycleTime = "$.sites[0].lines[0].machines[0].idealCycleTimeSeconds";
    private readonly FakePlantModelStore _store = new(FakePlantModelStore.Plant);
    private readonly FakeTelemetryOverview _telemetry = new();

    public PlantAdminTests()
    {
        Services.AddSingleton<IPlantModelStore>(_store);
        Services.AddSingleton<ITelemetryOverviewSource>(_telemetry);
    }

    [Fact]
    public async Task A_device_the_plant_does_not_know_is_added_in_one_click_and_is_known_once_applied()
    {
        var site = FakePlantModelStore.Plant.Sites[0].Id;
        _telemetry.Heard($"{site}/new-line/robot-9", $"mes/{site}/new-line/robot-9/state");
        _telemetry.Heard("elsewhere/l/m", "mes/elsewhere/l/m/state");
        var page = Render<PlantAdmin>();

        Assert.True(page.Find($"[data-unknown='elsewhere/l/m'] button").HasAttribute("disabled"));
        await page.Find($"[data-unknown='{site}/new-line/robot-9'] button").ClickAsync(new());
        await page.Find("button[data-apply]").ClickAsync(new());

        var applied = Assert.Single(_store.Attempts);
        var line = Assert.Single(applied.Sites[0].Lines, l => l.Id == "new-line");
        Assert.Equal(("robot-9", PlantDraftDevices.PlaceholderIdealCycleTimeSeconds), (line.Machines[0].Id, line.Machines[0].IdealCycleTimeSeconds));
        Assert.Empty(page.FindAll($"[data-unknown='{site}/new-line/robot-9']"));
        Assert.Single(page.FindAll("[data-unknown='elsewhere/l/m']"));
    }

    [Fact]
    public async Task The_calendar_editor_sets_weekdays_holidays_and_one_off_changes()
    {
        var page = Render<PlantAdmin>();

        // Saturday and Sunday off for the first shift; Christmas; a Saturday shift and a planned stop.
        await page.Find("[data-days='$.sites[0].shifts[0].days'] button[data-day=sat]").ClickAsync(new());
        await page.Find("[data-days='$.sites[0].shifts[0].days'] button[data-day=sun]").ClickAsync(new());
        await page.Find("button[data-add-holiday]").ClickAsync(new());
        await page.Find("input[name='$.sites[0].holidays[0]']").ChangeAsync(new() { Value = "2026-12-25" });
        await page.Find("button[data-add-exception]").ClickAsync(new());
        await page.Find("input[name='$.sites[0].calendarExceptions[0].date']").ChangeAsync(new() { Value = "2026-11-28" });
        await page.Find("input[name='$.sites[0].calendarExceptions[0].name']").ChangeAsync(new() { Value = "Extra Saturday" });
        await page.Find("input[name='$.sites[0].calendarExceptions[0].start']").ChangeAsync(new() { Value = "07:00" });
        await page.Find("input[name='$.sites[0].calendarExceptions[0].end']").ChangeAsync(new() { Value = "11:00" });
        await page.Find("button[data-apply]").ClickAsync(new());

        var site = Assert.Single(_store.Attempts).Sites[0];
        Assert.Equal(["mon", "tue", "wed", "thu", "fri"], site.Shifts[0].Days);
        Assert.Null(site.Shifts.Skip(1).FirstOrDefault()?.Days);
        Assert.Equal(["2026-12-25"], site.Holidays);
        Assert.Equal(new CalendarExceptionModel("2026-11-28", CalendarExceptionModel.ShiftKind, "Extra Saturday", "07:00", "11:00"), Assert.Single(site.CalendarExceptions!));
    }

    [Fact]
    public async Task A_holiday_that_is_no_date_is_named_at_its_field()
    {
        var page = Render<PlantAdmin>();

        await page.Find("button[data-add-holiday]").ClickAsync(new());
        await page.Find("input[name='$.sites[0].holidays[0]']").ChangeAsync(new() { Value = "25.12.2026" });

        Assert.Contains("is not a date", page.Find("[data-problem-path='$.sites[0].holidays[0]']").TextContent);
        Assert.Contains("holiday '25.12.2026'", page.Find(".mes-admin-problems").TextContent);
    }

    [Fact]
    public async Task A_wrong_value_is_named_next_to_its_field_and_nothing_is_applied()
    {
        var page = Render<PlantAdmin>();

        await page.Find($"input[name='{CycleTime}']").ChangeAsync(new() { Value = "0" });
        await page.Find("button[data-apply]").ClickAsync(new());

        Assert.Equal("must be greater than 0 seconds", page.Find($"[data-problem-path='{CycleTime}']").TextContent);
        Assert.Contains("Site 'Plant 1' › line 'Assembly' › machine 'Press 1' › ideal cycle time: must be greater than 0 seconds", page.Find(".mes-admin-problems").TextContent);
        Assert.Empty(_store.Attempts);

        await page.Find($"input[name='{CycleTime}']").ChangeAsync(new() { Value = "25" });
        Assert.Empty(page.FindAll("[data-problem-path]"));
    }

    [Fact]
    public async Task What_the_plant_model_refuses_is_shown_at_its_field_and_the_draft_is_kept()
    {
        _store.Refuse = MesCommandException.Invalid("The plant model has 1 problem(s).", [new("$.sites[0].timeZone", "'Europe/Berlin' is not a known time zone")]);
        var page = Render<PlantAdmin>();

        await page.Find("input[name='$.sites[0].lines[0].machines[1].name']").ChangeAsync(new() { Value = "Press Two" });
        await page.Find("button[data-apply]").ClickAsync(new());

        Assert.Single(_store.Attempts);
        Assert.Equal("'Europe/Berlin' is not a known time zone", page.Find("[data-problem-path='$.sites[0].timeZone']").TextContent);
        Assert.Equal("Press Two", page.Find("input[name='$.sites[0].lines[0].machines[1].name']").GetAttribute("value"));
        Assert.Equal(1, _store.Current.Version);
    }

    [Fact]
    public async Task Removing_a_machine_retires_it_once_the_admin_confirms_and_applies()
    {
        var dialogs = Render<RadzenDialog>();
        var page = Render<PlantAdmin>();

        _ = page.Find("button[data-remove-machine='press-2']").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("retired", dialogs.Markup));
        Assert.Contains("history", dialogs.Markup);
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Retire machine")).ClickAsync(new());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("button[data-remove-machine='press-2']")));

        await page.Find("button[data-apply]").ClickAsync(new());

        Assert.Equal(["press-1"], Assert.Single(_store.Attempts).Sites[0].Lines[0].Machines.Select(m => m.Id));
        Assert.Equal(["plant1/assembly/press-2"], _store.Current.RetiredMachines);
    }

    [Fact]
    public void An_imported_file_with_problems_is_loaded_and_its_problems_shown_at_the_fields()
    {
        var page = Render<PlantAdmin>();
        var file = PlantModelJson.Write(FakePlantModelStore.Plant with
        {
            Sites = [FakePlantModelStore.Plant.Sites[0] with { TimeZone = "Mars/Olympus" }],
        });

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(file, "plant.json"));

        page.WaitForAssertion(() => Assert.Contains("'Mars/Olympus' is not a known time zone", page.Find("[data-problem-path='$.sites[0].timeZone']").TextContent));
        Assert.Empty(_store.Attempts);
    }

    [Fact]
    public void A_file_that_is_not_a_plant_model_changes_nothing()
    {
        var page = Render<PlantAdmin>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("{\"sites\": [", "broken.json"));

        page.WaitForAssertion(() => Assert.Contains("'broken.json' is not a plant model document; nothing was imported.", page.Markup));
        Assert.Equal("Plant 1", page.Find("input[name='$.sites[0].name']").GetAttribute("value"));
    }
}
