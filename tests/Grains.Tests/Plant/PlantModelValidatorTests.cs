using MesOrleans.Errors;
using MesOrleans.Plant;

namespace MesOrleans.Tests.Plant;

public sealed class PlantModelValidatorTests
{
    private const string Site = "$.sites[0]";
    private const string Assembly = "$.sites[0].lines[0]";

    [Fact]
    public void Valid_model_has_no_problems() => AssertProblemsAt(TestPlant.Valid);

    [Fact]
    public void Missing_sites_are_a_problem() => AssertProblemsAt(TestPlant.Valid with { Sites = null! }, "$.sites");

    [Fact]
    public void At_least_one_site_is_required()
    {
        var problem = AssertSingleProblemAt(TestPlant.Valid with { Sites = [] }, "$.sites");
        Assert.Contains("at least one site", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_site_is_a_problem() =>
        AssertProblemsAt(TestPlant.Valid with { Sites = [TestPlant.Valid.Sites[0], null!] }, "$.sites[1]");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("plant 1")]
    [InlineData("plant1/assembly")]
    [InlineData("plänt1")]
    [InlineData("mes+")]
    [InlineData("#")]
    public void Site_id_must_be_a_path_segment(string? id) =>
        AssertProblemsAt(TestPlant.WithSite(site => site with { Id = id! }), $"{Site}.id");

    [Fact]
    public void Invalid_id_message_explains_the_allowed_characters()
    {
        var problem = AssertSingleProblemAt(TestPlant.WithSite(site => site with { Id = "plant 1" }), $"{Site}.id");
        Assert.Equal("'plant 1' is not a valid id: use 1 to 64 characters: letters a-z or A-Z, digits, '-' and '_'", problem.Message);
    }

    [Fact]
    public void Ids_have_at_most_64_characters()
    {
        AssertProblemsAt(TestPlant.WithSite(site => site with { Id = new string('a', 64) }));
        AssertProblemsAt(TestPlant.WithSite(site => site with { Id = new string('a', 65) }), $"{Site}.id");
    }

    [Theory]
    [InlineData("plant1")]
    [InlineData("PLANT1")]
    public void Site_ids_are_unique_ignoring_case(string secondId)
    {
        var first = TestPlant.Valid.Sites[0];
        var problem = AssertSingleProblemAt(TestPlant.Valid with { Sites = [first, first with { Id = secondId }] }, "$.sites[1].id");
        Assert.StartsWith($"duplicate site id '{secondId}'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Site_name_must_not_be_empty(string? name) =>
        AssertProblemsAt(TestPlant.WithSite(site => site with { Name = name! }), $"{Site}.name");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Europe/Berln")]
    [InlineData("Europe")]
    [InlineData("Berlin")]
    [InlineData("../../etc/passwd")]
    [InlineData("europe/berlin")]
    [InlineData("W. Europe Standard Time")]
    public void Time_zone_must_be_a_known_IANA_id(string? timeZone) =>
        AssertProblemsAt(TestPlant.WithSite(site => site with { TimeZone = timeZone! }), $"{Site}.timeZone");

    [Fact]
    public void Unknown_time_zone_is_named_in_the_message()
    {
        var problem = AssertSingleProblemAt(TestPlant.WithSite(site => site with { TimeZone = "Europe/Berln" }), $"{Site}.timeZone");
        Assert.StartsWith("'Europe/Berln' is not a known time zone", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_time_zone_id_points_to_its_IANA_id()
    {
        var problem = AssertSingleProblemAt(TestPlant.WithSite(site => site with { TimeZone = "W. Europe Standard Time" }), $"{Site}.timeZone");
        Assert.Contains("'Europe/Berlin'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    public void Other_IANA_time_zones_are_valid(string timeZone) =>
        AssertProblemsAt(TestPlant.WithSite(site => site with { TimeZone = timeZone }));

    [Fact]
    public void Missing_shifts_and_lines_are_problems() =>
        AssertProblemsAt(TestPlant.WithSite(site => site with { Shifts = null!, Lines = null! }), $"{Site}.shifts", $"{Site}.lines");

    [Fact]
    public void Site_may_have_no_shifts_and_no_lines_yet() =>
        AssertProblemsAt(TestPlant.WithSite(site => site with { Shifts = [], Lines = [] }));

    [Fact]
    public void Null_shift_is_a_problem() =>
        AssertProblemsAt(TestPlant.WithSite(site => site with { Shifts = [null!] }), $"{Site}.shifts[0]");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Shift_name_must_not_be_empty(string? name) =>
        AssertProblemsAt(TestPlant.WithShift(1, shift => shift with { Name = name! }), $"{Site}.shifts[1].name");

    [Theory]
    [InlineData("Early")]
    [InlineData("EARLY")]
    public void Shift_names_are_unique_within_a_site(string name)
    {
        var problem = AssertSingleProblemAt(TestPlant.WithShift(1, shift => shift with { Name = name }), $"{Site}.shifts[1].name");
        Assert.StartsWith($"duplicate shift name '{name}'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shift_names_may_repeat_in_another_site()
    {
        var first = TestPlant.Valid.Sites[0];
        AssertProblemsAt(TestPlant.Valid with { Sites = [first, first with { Id = "plant2" }] });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("6:00")]
    [InlineData("24:00")]
    [InlineData("06:60")]
    [InlineData("0600")]
    [InlineData("06:00:00")]
    [InlineData(" 06:00")]
    [InlineData("6am")]
    public void Shift_start_must_be_HH_mm(string? start) =>
        AssertProblemsAt(TestPlant.WithShift(0, shift => shift with { Start = start! }), $"{Site}.shifts[0].start");

    [Theory]
    [InlineData(null)]
    [InlineData("14")]
    [InlineData("14.00")]
    public void Shift_end_must_be_HH_mm(string? end) =>
        AssertProblemsAt(TestPlant.WithShift(0, shift => shift with { End = end! }), $"{Site}.shifts[0].end");

    [Fact]
    public void Malformed_time_names_the_value()
    {
        var problem = AssertSingleProblemAt(TestPlant.WithShift(0, shift => shift with { Start = "6:00" }), $"{Site}.shifts[0].start");
        Assert.StartsWith("'6:00' is not a time of day", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_start_and_end_is_a_24_hour_shift() =>
        AssertProblemsAt(TestPlant.WithShifts(new ShiftModel("All day", "06:00", "06:00", [new BreakModel("05:30", "05:45"), new BreakModel("23:50", "00:10")])));

    [Fact]
    public void A_24_hour_shift_overlaps_every_other_shift()
    {
        var allDay = new ShiftModel("All day", "00:00", "00:00", []);
        AssertProblemsAt(
            TestPlant.WithSite(site => site with { Shifts = [.. site.Shifts, allDay] }),
            $"{Site}.shifts[3]", $"{Site}.shifts[3]", $"{Site}.shifts[3]");
    }

    [Fact]
    public void Shifts_that_only_touch_do_not_overlap() =>
        AssertProblemsAt(TestPlant.WithShifts(
            new ShiftModel("Evening", "18:00", "00:00", []),
            new ShiftModel("Night", "00:00", "06:00", []),
            new ShiftModel("Day", "06:00", "18:00", [])));

    [Fact]
    public void Night_shift_running_into_the_early_shift_overlaps_it()
    {
        var problem = AssertSingleProblemAt(TestPlant.WithShift(2, shift => shift with { End = "06:30" }), $"{Site}.shifts[2]");
        Assert.Equal("shift 22:00–06:30 overlaps shift 'Early' (06:00–14:00); shifts of a site must not overlap", problem.Message);
    }

    [Theory]
    [InlineData("20:00", "02:00", "01:00", "09:00")]
    [InlineData("01:00", "09:00", "20:00", "02:00")]
    [InlineData("22:00", "06:00", "23:00", "01:00")]
    [InlineData("22:00", "06:00", "05:00", "23:00")]
    [InlineData("23:00", "01:00", "00:30", "00:45")]
    public void Shifts_crossing_midnight_overlap_the_next_morning(string firstStart, string firstEnd, string secondStart, string secondEnd) =>
        AssertProblemsAt(
            TestPlant.WithShifts(new ShiftModel("A", firstStart, firstEnd, []), new ShiftModel("B", secondStart, secondEnd, [])),
            $"{Site}.shifts[1]");

    [Fact]
    public void Missing_breaks_are_a_problem() =>
        AssertProblemsAt(TestPlant.WithShift(1, shift => shift with { Breaks = null! }), $"{Site}.shifts[1].breaks");

    [Fact]
    public void Null_break_is_a_problem() =>
        AssertProblemsAt(TestPlant.WithShift(0, shift => shift with { Breaks = [null!] }), $"{Site}.shifts[0].breaks[0]");

    [Theory]
    [InlineData(null, "09:15", "start")]
    [InlineData("9:00", "09:15", "start")]
    [InlineData("09:00", null, "end")]
    [InlineData("09:00", "09:15h", "end")]
    [InlineData("09:00", "09:00", "end")]
    public void Break_times_must_be_HH_mm_and_differ(string? start, string? end, string field) =>
        AssertProblemsAt(
            TestPlant.WithShift(0, shift => shift with { Breaks = [new BreakModel(start!, end!)] }),
            $"{Site}.shifts[0].breaks[0].{field}");

    [Theory]
    [InlineData("05:50", "06:10")]
    [InlineData("05:00", "05:30")]
    [InlineData("13:50", "14:10")]
    [InlineData("14:00", "14:15")]
    [InlineData("13:00", "07:00")]
    public void Break_must_lie_within_its_shift(string start, string end)
    {
        var problem = AssertSingleProblemAt(
            TestPlant.WithShift(0, shift => shift with { Breaks = [new BreakModel(start, end)] }),
            $"{Site}.shifts[0].breaks[0]");
        Assert.Equal($"break {start}–{end} lies outside its shift (06:00–14:00)", problem.Message);
    }

    [Theory]
    [InlineData("02:00", "02:30")]
    [InlineData("23:50", "00:10")]
    [InlineData("22:00", "22:15")]
    [InlineData("05:45", "06:00")]
    public void Break_of_a_night_shift_may_fall_after_midnight(string start, string end) =>
        AssertProblemsAt(TestPlant.WithShift(2, shift => shift with { Breaks = [new BreakModel(start, end)] }));

    [Theory]
    [InlineData("21:45", "22:15")]
    [InlineData("05:50", "06:10")]
    [InlineData("12:00", "12:30")]
    public void Break_outside_a_night_shift_is_a_problem(string start, string end) =>
        AssertProblemsAt(TestPlant.WithShift(2, shift => shift with { Breaks = [new BreakModel(start, end)] }), $"{Site}.shifts[2].breaks[0]");

    [Theory]
    [InlineData(0, "09:00", "09:15", "09:10", "09:20")]
    [InlineData(0, "09:00", "10:00", "09:15", "09:30")]
    [InlineData(2, "23:50", "00:10", "00:00", "00:20")]
    public void Breaks_of_a_shift_must_not_overlap(int shift, string firstStart, string firstEnd, string secondStart, string secondEnd) =>
        AssertProblemsAt(
            TestPlant.WithShift(shift, s => s with { Breaks = [new BreakModel(firstStart, firstEnd), new BreakModel(secondStart, secondEnd)] }),
            $"{Site}.shifts[{shift}].breaks[1]");

    [Fact]
    public void Breaks_that_only_touch_do_not_overlap() =>
        AssertProblemsAt(TestPlant.WithShift(0, shift => shift with { Breaks = [new BreakModel("09:00", "09:15"), new BreakModel("09:15", "09:30")] }));

    [Fact]
    public void Null_line_is_a_problem() =>
        AssertProblemsAt(TestPlant.WithSite(site => site with { Lines = [site.Lines[0], null!] }), $"{Site}.lines[1]");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("line 2")]
    [InlineData("line/2")]
    public void Line_id_must_be_a_path_segment(string? id) =>
        AssertProblemsAt(TestPlant.WithLine(1, line => line with { Id = id! }), $"{Site}.lines[1].id");

    [Fact]
    public void Line_ids_are_unique_within_a_site()
    {
        var problem = AssertSingleProblemAt(TestPlant.WithLine(1, line => line with { Id = "assembly" }), $"{Site}.lines[1].id");
        Assert.Equal("duplicate line id 'assembly' in site 'plant1'", problem.Message);
    }

    [Fact]
    public void Line_ids_may_repeat_in_another_site()
    {
        var first = TestPlant.Valid.Sites[0];
        AssertProblemsAt(TestPlant.Valid with { Sites = [first, first with { Id = "plant2" }] });
    }

    [Fact]
    public void Line_name_must_not_be_empty() =>
        AssertProblemsAt(TestPlant.WithLine(0, line => line with { Name = "" }), $"{Assembly}.name");

    [Fact]
    public void Missing_machines_are_a_problem() =>
        AssertProblemsAt(TestPlant.WithLine(1, line => line with { Machines = null! }), $"{Site}.lines[1].machines");

    [Fact]
    public void Null_machine_is_a_problem() =>
        AssertProblemsAt(TestPlant.WithLine(0, line => line with { Machines = [line.Machines[0], null!] }), $"{Assembly}.machines[1]");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("press 3")]
    [InlineData("press#3")]
    public void Machine_id_must_be_a_path_segment(string? id) =>
        AssertProblemsAt(TestPlant.WithMachine(0, 1, machine => machine with { Id = id! }), $"{Assembly}.machines[1].id");

    [Theory]
    [InlineData("press-1")]
    [InlineData("Press-1")]
    public void Machine_ids_are_unique_within_a_line(string id)
    {
        var problem = AssertSingleProblemAt(TestPlant.WithMachine(0, 1, machine => machine with { Id = id }), $"{Assembly}.machines[1].id");
        Assert.StartsWith($"duplicate machine id '{id}' in line 'assembly'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Machine_ids_may_repeat_in_another_line() =>
        AssertProblemsAt(TestPlant.WithMachine(1, 0, machine => machine with { Id = "press-1" }));

    [Fact]
    public void Machine_name_must_not_be_empty() =>
        AssertProblemsAt(TestPlant.WithMachine(0, 0, machine => machine with { Name = null! }), $"{Assembly}.machines[0].name");

    [Theory]
    [InlineData(0, "must be greater than 0 seconds")]
    [InlineData(-1, "must be greater than 0 seconds")]
    [InlineData(86_400.5, "must be at most 86400 seconds (one day)")]
    [InlineData(double.NaN, "must be a finite number of seconds")]
    [InlineData(double.PositiveInfinity, "must be a finite number of seconds")]
    [InlineData(double.NegativeInfinity, "must be a finite number of seconds")]
    public void Ideal_cycle_time_must_be_positive_and_at_most_a_day(double seconds, string message)
    {
        var problem = AssertSingleProblemAt(
            TestPlant.WithMachine(1, 0, machine => machine with { IdealCycleTimeSeconds = seconds }),
            "$.sites[0].lines[1].machines[0].idealCycleTimeSeconds");
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(30)]
    [InlineData(86_400)]
    public void Ideal_cycle_time_may_be_any_positive_time_up_to_a_day(double seconds) =>
        AssertProblemsAt(TestPlant.WithMachine(1, 0, machine => machine with { IdealCycleTimeSeconds = seconds }));

    [Theory]
    [InlineData(-0.5)]
    [InlineData(86_401)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Micro_stop_threshold_must_be_between_0_and_a_day(double seconds) =>
        AssertProblemsAt(
            TestPlant.WithMachine(0, 1, machine => machine with { MicroStopThresholdSeconds = seconds }),
            $"{Assembly}.machines[1].microStopThresholdSeconds");

    [Theory]
    [InlineData(null)]
    [InlineData(0.0)]
    [InlineData(120.0)]
    [InlineData(86_400.0)]
    public void Micro_stop_threshold_is_optional(double? seconds) =>
        AssertProblemsAt(TestPlant.WithMachine(0, 1, machine => machine with { MicroStopThresholdSeconds = seconds }));

    [Fact]
    public void Missing_reason_catalogs_are_problems() =>
        AssertProblemsAt(TestPlant.Valid with { DowntimeReasons = null!, ScrapReasons = null! }, "$.downtimeReasons", "$.scrapReasons");

    [Fact]
    public void Reason_catalogs_may_be_empty() =>
        AssertProblemsAt(TestPlant.Valid with { DowntimeReasons = [], ScrapReasons = [] });

    [Fact]
    public void Null_reasons_are_problems() =>
        AssertProblemsAt(TestPlant.Valid with { DowntimeReasons = [null!], ScrapReasons = [null!] }, "$.downtimeReasons[0]", "$.scrapReasons[0]");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("E 12")]
    [InlineData("E12/3")]
    public void Reason_codes_follow_the_id_rule(string? code) =>
        AssertProblemsAt(
            TestPlant.Valid with
            {
                DowntimeReasons = TestPlant.Replace(TestPlant.Valid.DowntimeReasons, 1, reason => reason with { Code = code! }),
                ScrapReasons = TestPlant.Replace(TestPlant.Valid.ScrapReasons, 1, reason => reason with { Code = code! }),
            },
            "$.downtimeReasons[1].code", "$.scrapReasons[1].code");

    [Theory]
    [InlineData("E12")]
    [InlineData("e12")]
    public void Downtime_reason_codes_are_unique(string code)
    {
        var problem = AssertSingleProblemAt(TestPlant.WithDowntimeReason(1, reason => reason with { Code = code }), "$.downtimeReasons[1].code");
        Assert.StartsWith($"duplicate downtime reason code '{code}'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrap_reason_codes_are_unique() =>
        AssertProblemsAt(TestPlant.WithScrapReason(1, reason => reason with { Code = "S01" }), "$.scrapReasons[1].code");

    [Fact]
    public void A_code_may_be_both_a_downtime_and_a_scrap_reason() =>
        AssertProblemsAt(TestPlant.WithScrapReason(0, reason => reason with { Code = "E12" }));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Reason_names_and_categories_must_not_be_empty(string? text) =>
        AssertProblemsAt(
            TestPlant.Valid with
            {
                DowntimeReasons = TestPlant.Replace(TestPlant.Valid.DowntimeReasons, 0, reason => reason with { Name = text!, Category = text! }),
                ScrapReasons = TestPlant.Replace(TestPlant.Valid.ScrapReasons, 0, reason => reason with { Name = text!, Category = text! }),
            },
            "$.downtimeReasons[0].name", "$.downtimeReasons[0].category", "$.scrapReasons[0].name", "$.scrapReasons[0].category");

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var model = TestPlant.Valid with
        {
            Sites =
            [
                TestPlant.Valid.Sites[0] with
                {
                    TimeZone = "Europe/Berln",
                    Shifts = TestPlant.Replace(TestPlant.Valid.Sites[0].Shifts, 0, shift => shift with { Breaks = [new BreakModel("15:00", "15:15")] }),
                    Lines = TestPlant.Replace(TestPlant.Valid.Sites[0].Lines, 1, line => line with
                    {
                        Machines = [new MachineModel("filler-1", "Filler 1", 0), new MachineModel("filler-1", "", 2, -1)],
                    }),
                },
            ],
            ScrapReasons = [new ScrapReasonModel("S01", "Burr", "")],
        };

        AssertProblemsAt(
            model,
            "$.sites[0].timeZone",
            "$.sites[0].shifts[0].breaks[0]",
            "$.sites[0].lines[1].machines[0].idealCycleTimeSeconds",
            "$.sites[0].lines[1].machines[1].id",
            "$.sites[0].lines[1].machines[1].name",
            "$.sites[0].lines[1].machines[1].microStopThresholdSeconds",
            "$.scrapReasons[0].category");
    }

    private static void AssertProblemsAt(PlantModel model, params string[] paths)
    {
        var problems = PlantModelValidator.Validate(model);
        Assert.Equal(paths, problems.Select(problem => problem.Path));
    }

    private static ValidationProblem AssertSingleProblemAt(PlantModel model, string path)
    {
        var problem = Assert.Single(PlantModelValidator.Validate(model));
        Assert.Equal(path, problem.Path);
        return problem;
    }
}
