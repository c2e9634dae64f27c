using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MesOrleans.Plant;

namespace MesOrleans.Tests.Plant;

public sealed class PlantModelJsonTests
{
    private const string Sample = """
        {
          "sites": [{
            "id": "plant1", "name": "Plant 1", "timeZone": "Europe/Berlin",
            "shifts": [{"name": "Early", "start": "06:00", "end": "14:00", "breaks": [{"start": "09:00", "end": "09:15"}]},
                       {"name": "Night", "start": "22:00", "end": "06:00", "breaks": []}],
            "lines": [{"id": "assembly", "name": "Assembly",
                       "machines": [{"id": "press-3", "name": "Press 3", "idealCycleTimeSeconds": 30, "microStopThresholdSeconds": 120},
                                    {"id": "press-4", "name": "Press 4", "idealCycleTimeSeconds": 27.5}]}]
          }],
          "downtimeReasons": [{"code": "E12", "name": "Hydraulic fault", "category": "breakdown", "planned": false},
                              {"code": "PM", "name": "Preventive maintenance", "category": "planned-maintenance", "planned": true}],
          "scrapReasons": [{"code": "S01", "name": "Burr", "category": "production-reject"}]
        }
        """;

    [Fact]
    public void Valid_document_parses_into_the_model()
    {
        var result = PlantModelJson.Read(Sample);

        Assert.True(result.IsValid);
        Assert.Empty(result.Problems);
        var model = result.Model!;
        var site = Assert.Single(model.Sites);
        Assert.Equal(("plant1", "Plant 1", "Europe/Berlin"), (site.Id, site.Name, site.TimeZone));
        Assert.Equal(["Early", "Night"], site.Shifts.Select(shift => shift.Name));
        Assert.Equal(("22:00", "06:00"), (site.Shifts[1].Start, site.Shifts[1].End));
        Assert.Equal(new BreakModel("09:00", "09:15"), Assert.Single(site.Shifts[0].Breaks));
        Assert.Empty(site.Shifts[1].Breaks);
        var line = Assert.Single(site.Lines);
        Assert.Equal(new MachineModel("press-3", "Press 3", 30, 120), line.Machines[0]);
        Assert.Equal(new MachineModel("press-4", "Press 4", 27.5), line.Machines[1]);
        Assert.Equal(new DowntimeReasonModel("PM", "Preventive maintenance", "planned-maintenance", true), model.DowntimeReasons[1]);
        Assert.Equal(new ScrapReasonModel("S01", "Burr", "production-reject"), Assert.Single(model.ScrapReasons));
    }

    [Fact]
    public void Written_document_reads_back_as_an_equal_model()
    {
        var model = PlantModelJson.Read(Sample).Model!;

        var written = PlantModelJson.Write(model);
        var reread = PlantModelJson.Read(written);

        Assert.True(reread.IsValid);
        Assert.Equivalent(model, reread.Model, strict: true);
        Assert.Equal(written, PlantModelJson.Write(reread.Model!));
    }

    [Fact]
    public void Demo_plant_round_trips()
    {
        var reread = PlantModelJson.Read(PlantModelJson.Write(DemoPlant.Model));

        Assert.True(reread.IsValid);
        Assert.Equivalent(DemoPlant.Model, reread.Model, strict: true);
    }

    [Fact]
    public void Written_document_is_indented_camel_case_without_nulls()
    {
        var json = PlantModelJson.Write(PlantModelJson.Read(Sample).Model!);

        Assert.Contains("\n  \"sites\": [", json, StringComparison.Ordinal);
        var machines = JsonNode.Parse(json)!["sites"]![0]!["lines"]![0]!["machines"]!.AsArray();
        Assert.Equal(
            ["id", "name", "idealCycleTimeSeconds", "microStopThresholdSeconds"],
            machines[0]!.AsObject().Select(property => property.Key));
        Assert.Equal(["id", "name", "idealCycleTimeSeconds"], machines[1]!.AsObject().Select(property => property.Key));
    }

    [Fact]
    public void Hand_edited_document_may_have_comments_trailing_commas_and_any_letter_case()
    {
        var edited = Sample
            .Replace("\"sites\": [{", "// the only site\n  \"Sites\": [{", StringComparison.Ordinal)
            .Replace("\"planned\": true}", "\"planned\": true, /* yes */},", StringComparison.Ordinal);

        var result = PlantModelJson.Read(edited);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.True(result.Model!.DowntimeReasons[1].Planned);
    }

    [Fact]
    public void Malformed_json_is_one_problem_with_its_path_and_line()
    {
        const string json = """
            {
              "sites": [{
                "id": "plant1",
                "name": "Plant 1",
                "timeZone": "Europe/Berlin",
                "shifts": [],
                "lines": ]
              }]
            }
            """;

        var result = PlantModelJson.Read(json);

        Assert.False(result.IsValid);
        Assert.Null(result.Model);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.sites[0].lines", problem.Path);
        Assert.Contains("line 7", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{\"sites\": [")]
    public void Text_that_is_no_plant_document_is_a_problem(string json)
    {
        var result = PlantModelJson.Read(json);

        Assert.Null(result.Model);
        Assert.StartsWith("$", Assert.Single(result.Problems).Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_document_is_a_problem()
    {
        var problem = Assert.Single(PlantModelJson.Read("null").Problems);
        Assert.Equal("$", problem.Path);
    }

    [Fact]
    public void Value_of_the_wrong_type_is_a_problem_at_its_path()
    {
        var result = PlantModelJson.Read(Sample.Replace("\"idealCycleTimeSeconds\": 30", "\"idealCycleTimeSeconds\": \"fast\"", StringComparison.Ordinal));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.sites[0].lines[0].machines[0].idealCycleTimeSeconds", problem.Path);
        Assert.StartsWith("This value has the wrong type", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Number_too_large_for_a_double_is_a_problem()
    {
        var result = PlantModelJson.Read(Sample.Replace("\"idealCycleTimeSeconds\": 30", "\"idealCycleTimeSeconds\": 1e400", StringComparison.Ordinal));

        Assert.Equal("$.sites[0].lines[0].machines[0].idealCycleTimeSeconds", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void Misspelt_property_is_a_problem_at_its_path()
    {
        var result = PlantModelJson.Read(Sample.Replace("\"microStopThresholdSeconds\"", "\"microStopThreshold\"", StringComparison.Ordinal));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.sites[0].lines[0].machines[0].microStopThreshold", problem.Path);
        Assert.StartsWith("The JSON property 'microStopThreshold' is not a field of this object; check its spelling (line 7, position ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_property_is_a_problem_at_its_path()
    {
        var result = PlantModelJson.Read(Sample.Replace("\"id\": \"plant1\",", "\"id\": \"plant1\", \"id\": \"plant2\",", StringComparison.Ordinal));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.sites[0].id", problem.Path);
        Assert.StartsWith("Duplicate property 'id' appears more than once in this object", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$.sites[0]", "lines")]
    [InlineData("$.sites[0]", "shifts")]
    [InlineData("$.sites[0].shifts[0]", "breaks")]
    [InlineData("$.sites[0].lines[0]", "machines")]
    [InlineData("$", "sites")]
    [InlineData("$", "downtimeReasons")]
    [InlineData("$", "scrapReasons")]
    public void Missing_or_null_array_is_a_problem_not_an_exception(string parent, string array)
    {
        var expectedPath = $"{parent}.{array}";

        var missing = PlantModelJson.Read(Edit(parent, node => node.Remove(array)));
        var nulled = PlantModelJson.Read(Edit(parent, node => node[array] = null));

        Assert.Null(missing.Model);
        Assert.Equal(expectedPath, Assert.Single(missing.Problems).Path);
        Assert.Null(nulled.Model);
        Assert.Equal(expectedPath, Assert.Single(nulled.Problems).Path);
    }

    [Fact]
    public void Null_array_element_is_a_problem_not_an_exception()
    {
        var result = PlantModelJson.Read(Edit("$.sites[0].lines[0]", line => line["machines"]!.AsArray().Add(null)));

        Assert.Equal("$.sites[0].lines[0].machines[2]", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void Missing_strings_are_problems_not_exceptions()
    {
        var result = PlantModelJson.Read("""{"sites": [{"shifts": [{"breaks": [{}]}], "lines": [{"machines": [{}]}]}], "downtimeReasons": [{}], "scrapReasons": [{}]}""");

        Assert.Null(result.Model);
        Assert.Equal(
            [
                "$.sites[0].id", "$.sites[0].name", "$.sites[0].timeZone",
                "$.sites[0].shifts[0].name", "$.sites[0].shifts[0].start", "$.sites[0].shifts[0].end",
                "$.sites[0].shifts[0].breaks[0].start", "$.sites[0].shifts[0].breaks[0].end",
                "$.sites[0].lines[0].id", "$.sites[0].lines[0].name",
                "$.sites[0].lines[0].machines[0].id", "$.sites[0].lines[0].machines[0].name", "$.sites[0].lines[0].machines[0].idealCycleTimeSeconds",
                "$.downtimeReasons[0].code", "$.downtimeReasons[0].name", "$.downtimeReasons[0].category",
                "$.scrapReasons[0].code", "$.scrapReasons[0].name", "$.scrapReasons[0].category",
            ],
            result.Problems.Select(problem => problem.Path));
    }

    [Fact]
    public void Document_with_several_problems_reports_them_all()
    {
        var json = Edit("$.sites[0]", site =>
        {
            site["timeZone"] = "Europe/Berln";
            site["shifts"]![1]!["end"] = "06:30";
            site["shifts"]![0]!["breaks"]![0]!["start"] = "05:45";
            site["lines"]![0]!["machines"]![1]!["id"] = "press-3";
            site["lines"]![0]!["machines"]![1]!["idealCycleTimeSeconds"] = 0;
        });

        var result = PlantModelJson.Read(json);

        Assert.Null(result.Model);
        Assert.Equal(
            [
                ("$.sites[0].timeZone", "'Europe/Berln' is not a known time zone: use an IANA id such as 'Europe/Berlin'"),
                ("$.sites[0].shifts[0].breaks[0]", "break 05:45–09:15 lies outside its shift (06:00–14:00)"),
                ("$.sites[0].shifts[1]", "shift 22:00–06:30 overlaps shift 'Early' (06:00–14:00); shifts of a site must not overlap"),
                ("$.sites[0].lines[0].machines[1].id", "duplicate machine id 'press-3' in line 'assembly'"),
                ("$.sites[0].lines[0].machines[1].idealCycleTimeSeconds", "must be greater than 0 seconds"),
            ],
            result.Problems.Select(problem => (problem.Path, problem.Message)));
    }

    [Fact]
    public void File_is_read_and_validated()
    {
        var path = Path.Combine(Path.GetTempPath(), $"plant-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Sample);
        try
        {
            Assert.True(PlantModelJson.ReadFile(path).IsValid);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_file_is_a_problem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"plant-{Guid.NewGuid():N}.json");

        var result = PlantModelJson.ReadFile(path);

        Assert.Null(result.Model);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("$", problem.Path);
        Assert.Contains(path, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_cannot_be_changed_by_a_caller()
    {
        Assert.True(PlantModelJson.Options.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => PlantModelJson.Options.WriteIndented = false);
    }

    // Changes the object at a simple path like "$.sites[0].lines[0]" in the sample document.
    private static string Edit(string path, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Sample)!;
        var node = root;
        foreach (var step in path.Split('.').Skip(1))
        {
            var bracket = step.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0
                ? node[step]!
                : node[step[..bracket]]![int.Parse(step[(bracket + 1)..^1], CultureInfo.InvariantCulture)]!;
        }

        change(node.AsObject());
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
