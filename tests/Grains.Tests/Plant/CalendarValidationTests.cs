using MesOrleans.Plant;

namespace MesOrleans.Tests.Plant;

public sealed class CalendarValidationTests
{
    private const string Shifts = "$.sites[0].shifts";
    private const string Exceptions = "$.sites[0].calendarExceptions";
    private static readonly string[] Weekdays = ["mon", "tue", "wed", "thu", "fri"];

    [Fact]
    public void Weekdays_holidays_and_exceptions_are_valid() =>
        AssertProblemsAt(TestPlant.WithSite(site => site with
        {
            Shifts = [.. site.Shifts.Select(s => s with { Days = Weekdays })],
            Holidays = ["2026-12-25", "2026-12-26"],
            CalendarExceptions =
            [
                new CalendarExceptionModel("2026-11-28", CalendarExceptionModel.ShiftKind, "Extra Saturday", "06:00", "12:00", [new BreakModel("09:00", "09:15")]),
                new CalendarExceptionModel("2026-12-02", CalendarExceptionModel.PlannedStopKind, "Compressor service", "06:00", "10:00"),
            ],
        }));

    [Fact]
    public void A_day_must_be_a_weekday_word_and_listed_once() =>
        AssertProblemsAt(TestPlant.WithShift(0, s => s with { Days = ["mon", "Monday", "sat", "sat"] }), $"{Shifts}[0].days[1]", $"{Shifts}[0].days[3]");

    [Fact]
    public void An_empty_list_of_days_is_a_problem() =>
        AssertProblemsAt(TestPlant.WithShift(0, s => s with { Days = [] }), $"{Shifts}[0].days");

    [Fact]
    public void Shifts_on_different_days_may_share_clock_times() =>
        AssertProblemsAt(TestPlant.WithShifts(
            new ShiftModel("Early", "06:00", "14:00", [], Weekdays),
            new ShiftModel("Weekend", "06:00", "18:00", [], ["sat", "sun"])));

    [Fact]
    public void Shifts_on_the_same_day_must_not_overlap() =>
        AssertProblemsAt(TestPlant.WithShifts(
            new ShiftModel("Early", "06:00", "14:00", [], Weekdays),
            new ShiftModel("Friday long", "12:00", "20:00", [], ["fri"])),
            $"{Shifts}[1]");

    [Fact]
    public void A_night_shift_reaches_into_the_next_day()
    {
        // Friday's night runs until Saturday 06:00, into a Saturday shift that starts at 04:00.
        var model = TestPlant.WithShifts(
            new ShiftModel("Night", "22:00", "06:00", [], Weekdays),
            new ShiftModel("Saturday", "04:00", "12:00", [], ["sat"]));

        var problem = Assert.Single(PlantModelValidator.Validate(model));

        Assert.Equal($"{Shifts}[1]", problem.Path);
        Assert.Contains("on sat", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sunday_night_reaches_into_monday_across_the_week() =>
        AssertProblemsAt(TestPlant.WithShifts(
            new ShiftModel("Sunday night", "22:00", "06:00", [], ["sun"]),
            new ShiftModel("Monday early", "05:00", "13:00", [], ["mon"])),
            $"{Shifts}[1]");

    [Fact]
    public void Holidays_are_dates_listed_once() =>
        AssertProblemsAt(
            TestPlant.WithSite(site => site with { Holidays = ["2026-12-25", "25.12.2026", "2026-02-30", "2026-12-25"] }),
            "$.sites[0].holidays[1]", "$.sites[0].holidays[2]", "$.sites[0].holidays[3]");

    [Fact]
    public void A_calendar_exception_needs_a_kind_a_date_a_name_and_times() =>
        AssertProblemsAt(
            TestPlant.WithSite(site => site with
            {
                CalendarExceptions = [new CalendarExceptionModel("28.11.2026", "overtime", " ", "6:00", null!)],
            }),
            $"{Exceptions}[0].kind", $"{Exceptions}[0].date", $"{Exceptions}[0].name", $"{Exceptions}[0].start", $"{Exceptions}[0].end");

    [Fact]
    public void A_planned_stop_has_no_breaks() =>
        AssertProblemsAt(
            TestPlant.WithSite(site => site with
            {
                CalendarExceptions = [new CalendarExceptionModel("2026-12-02", CalendarExceptionModel.PlannedStopKind, "Service", "06:00", "10:00", [new BreakModel("08:00", "08:15")])],
            }),
            $"{Exceptions}[0].breaks");

    [Fact]
    public void An_extra_shift_must_not_overlap_the_shifts_of_its_day()
    {
        // The test plant runs Early, Late and Night every day: an extra shift on a working day overlaps them.
        var model = TestPlant.WithSite(site => site with
        {
            CalendarExceptions = [new CalendarExceptionModel("2026-11-28", CalendarExceptionModel.ShiftKind, "Extra", "12:00", "16:00")],
        });

        Assert.Equal([$"{Exceptions}[0]", $"{Exceptions}[0]"], PlantModelValidator.Validate(model).Select(p => p.Path));
    }

    [Fact]
    public void An_extra_shift_on_a_holiday_takes_the_place_of_the_cancelled_shifts()
    {
        // 28 November 2026 is a holiday: only the night from the 27th reaches into it, until 06:00.
        var model = TestPlant.WithSite(site => site with
        {
            Holidays = ["2026-11-28"],
            CalendarExceptions = [new CalendarExceptionModel("2026-11-28", CalendarExceptionModel.ShiftKind, "Inventory", "06:00", "22:00")],
        });

        AssertProblemsAt(model);
    }

    [Fact]
    public void Extra_shifts_must_not_overlap_each_other() =>
        AssertProblemsAt(
            TestPlant.WithSite(site => site with
            {
                Shifts = [],
                CalendarExceptions =
                [
                    new CalendarExceptionModel("2026-11-28", CalendarExceptionModel.ShiftKind, "A", "20:00", "04:00"),
                    new CalendarExceptionModel("2026-11-29", CalendarExceptionModel.ShiftKind, "B", "02:00", "08:00"),
                ],
            }),
            $"{Exceptions}[1]");

    [Fact]
    public void A_scrap_reason_may_name_lines_and_machine_categories_the_plant_has()
    {
        var model = TestPlant.WithMachine(0, 0, m => m with { Category = "press" }) with
        {
            ScrapReasons = [new ScrapReasonModel("S01", "Burr", "production-reject", ["plant1/assembly"], ["press"])],
        };

        AssertProblemsAt(model);
    }

    [Fact]
    public void A_scrap_reason_naming_an_unknown_line_or_category_is_a_problem() =>
        AssertProblemsAt(
            TestPlant.Valid with { ScrapReasons = [new ScrapReasonModel("S01", "Burr", "production-reject", ["assembly"], ["filler"])] },
            "$.scrapReasons[0].lines[0]", "$.scrapReasons[0].machineCategories[0]");

    [Fact]
    public void An_empty_scope_of_a_scrap_reason_is_a_problem() =>
        AssertProblemsAt(
            TestPlant.Valid with { ScrapReasons = [new ScrapReasonModel("S01", "Burr", "production-reject", Lines: [])] },
            "$.scrapReasons[0].lines");

    [Theory]
    [InlineData("plant1/assembly", null, true)]
    [InlineData("plant1/packaging", "press", true)]
    [InlineData("plant1/packaging", "filler", false)]
    [InlineData("plant1/packaging", null, false)]
    public void A_scrap_reason_applies_to_its_lines_and_categories(string line, string? category, bool applies) =>
        Assert.Equal(applies, new ScrapReasonModel("S01", "Burr", "reject", ["plant1/assembly"], ["press"]).AppliesTo(line, category));

    [Fact]
    public void A_scrap_reason_without_a_scope_applies_everywhere() =>
        Assert.True(new ScrapReasonModel("S01", "Burr", "reject").AppliesTo("plant1/packaging", null));

    [Fact]
    public void A_document_with_a_weekly_calendar_reads_and_writes_back()
    {
        const string json = """
            {
              "sites": [{
                "id": "plant1", "name": "Plant 1", "timeZone": "Europe/Berlin",
                "shifts": [{"name": "Early", "start": "06:00", "end": "14:00", "breaks": [], "days": ["mon", "tue", "wed", "thu", "fri"]}],
                "holidays": ["2026-12-25"],
                "calendarExceptions": [
                  {"date": "2026-11-28", "kind": "shift", "name": "Extra Saturday", "start": "06:00", "end": "12:00"},
                  {"date": "2026-12-02", "kind": "plannedStop", "name": "Compressor service", "start": "06:00", "end": "10:00"}
                ],
                "lines": [{"id": "assembly", "name": "Assembly",
                           "machines": [{"id": "press-1", "name": "Press 1", "idealCycleTimeSeconds": 30, "category": "press"}]}]
              }],
              "downtimeReasons": [],
              "scrapReasons": [{"code": "S01", "name": "Burr", "category": "reject", "machineCategories": ["press"]}]
            }
            """;

        var result = PlantModelJson.Read(json);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var site = result.Model!.Sites[0];
        Assert.Equal(["mon", "tue", "wed", "thu", "fri"], site.Shifts[0].Days);
        Assert.Equal(["2026-12-25"], site.Holidays);
        Assert.Equal(CalendarExceptionModel.PlannedStopKind, site.CalendarExceptions![1].Kind);
        Assert.Equal("press", site.Lines[0].Machines[0].Category);
        Assert.Equal(["press"], result.Model.ScrapReasons[0].MachineCategories);
        var reread = PlantModelJson.Read(PlantModelJson.Write(result.Model));
        Assert.Equivalent(result.Model, reread.Model, strict: true);
    }

    private static void AssertProblemsAt(PlantModel model, params string[] paths) =>
        Assert.Equal(paths, PlantModelValidator.Validate(model).Select(problem => problem.Path));
}
