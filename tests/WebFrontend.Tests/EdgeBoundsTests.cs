using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MesOrleans.Errors;
using MesOrleans.Testing;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>
/// The REST edge refuses what is out of bounds with a 400 that names the field, and nothing changes: texts over their
/// limit, enums as numbers, times without an offset, report windows outside what the history can read.
/// </summary>
public sealed class EdgeBoundsTests : IClassFixture<EdgeBoundsTests.App>, IDisposable
{
    private static readonly string Machine = MachineUrl(Welder);
    private readonly HttpClient _http;

    public EdgeBoundsTests(App app) => _http = app.Instance.CreateClient();

    public void Dispose() => _http.Dispose();

    public static TheoryData<string, string, string> TooLong => new()
    {
        { $"{Machine}/downtime", Json(new { reasonCode = "E12", @operator = new string('a', TextLimits.Person + 1) }), "$.operator" },
        { $"{Machine}/downtime", Json(new { reasonCode = "E12", note = new string('n', TextLimits.Note + 1) }), "$.note" },
        { $"{Machine}/state", Json(new { state = "down", actor = new string('a', 10_000_000) }), "$.actor" },
        { $"{Machine}/scrap", Json(new { quantity = 1, reasonCode = new string('S', TextLimits.Code + 1), @operator = "Anna" }), "$.reasonCode" },
        { $"{Machine}/entries/{Guid.NewGuid()}/void", Json(new { by = "Anna", why = new string('w', TextLimits.Note + 1) }), "$.why" },
        { $"/api/sites/{Site}/maintenance/tickets", Json(new { machineId = $"{Site}/{Line}/{Press}", title = new string('t', TextLimits.Title + 1), openedBy = "Anna" }), "$.title" },
        { $"/api/sites/{Site}/maintenance/tickets", Json(new { machineId = $"{Site}/{Line}/{Press}", title = "Guard", openedBy = "Anna", note = new string('n', TextLimits.Text + 1) }), "$.note" },
        { "/api/work-orders", Json(new { orderNumber = "WO-1", product = new string('p', TextLimits.Name + 1), targetQuantity = 10, lineId = $"{Site}/{Line}" }), "$.product" },
    };

    [Theory]
    [MemberData(nameof(TooLong))]
    public async Task A_text_over_its_limit_answers_400_naming_the_field_and_records_nothing(string url, string body, string field)
    {
        var before = await StateAsync();

        var response = await _http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await ErrorFieldsAsync(response));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task A_plant_model_name_over_its_limit_is_refused_at_its_path()
    {
        var before = await _http.GetStringAsync("/api/plant");
        var plant = Model with
        {
            Sites = [Model.Sites[0] with { Lines = [Model.Sites[0].Lines[0] with { Name = new string('L', TextLimits.Name + 1) }] }],
        };

        var response = await _http.PutAsync("/api/plant", new StringContent(MesOrleans.Plant.PlantModelJson.Write(plant), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.sites[0].lines[0].name", await ErrorFieldsAsync(response));
        Assert.Equal(before, await _http.GetStringAsync("/api/plant"));
    }

    [Theory]
    [InlineData("""{"state": 99}""", "$.state")]
    [InlineData("""{"state": "99"}""", "$.state")]
    [InlineData("""{"state": 1}""", "$.state")]
    [InlineData("""{"state": "down", "at": "2026-11-25T10:00:00"}""", "$.at")]
    [InlineData("""{"state": "down", "at": "2026-11-25"}""", "$.at")]
    public async Task Enums_go_by_name_and_times_need_an_offset(string body, string field)
    {
        var before = await StateAsync();

        var response = await _http.PostAsync($"{Machine}/state", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await ErrorFieldsAsync(response));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task A_time_with_its_offset_is_taken_as_given()
    {
        var at = ShiftStart.AddMinutes(1).ToOffset(TimeSpan.FromHours(1));
        var body = $$"""{"state": "idle", "at": "{{at:yyyy-MM-ddTHH:mm:sszzz}}"}""";

        var response = await _http.PostAsync($"{MachineUrl(Press)}/state", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("timestamp").GetDateTimeOffset();
        Assert.Equal(at, recorded);
    }

    [Theory]
    [InlineData("from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z", "from")]
    [InlineData("from=9999-12-30T00:00:00Z&to=9999-12-31T00:00:00Z", "from")]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("from=2001-01-01T00:00:00Z&to=2099-01-01T00:00:00Z", "to")]
    [InlineData("from=2026-11-25T10:00:00&to=2026-11-25T12:00:00Z", "from")]
    [InlineData("from=2026-11-25T10:00:00Z&to=2026-11-25T12:00:00", "to")]
    public async Task Report_windows_outside_the_supported_range_answer_400_never_500(string query, string field)
    {
        foreach (var url in new[] { $"{Machine}/oee", $"/api/sites/{Site}/lines/{Line}/oee", $"/api/sites/{Site}/oee", $"/api/sites/{Site}/maintenance/kpis" })
        {
            var response = await _http.GetAsync($"{url}?{query}");

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}?{query}: {(int)response.StatusCode}");
            Assert.Contains(field, await ErrorFieldsAsync(response));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_000)]
    public async Task The_events_list_is_bounded(int count)
    {
        var response = await _http.GetAsync($"{Machine}/events?count={count}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("count", await ErrorFieldsAsync(response));
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static string Json(object body) => JsonSerializer.Serialize(body, Web);

    // Everything a refused command could have touched: the welder's events, state and counts, the site's tickets.
    private async Task<string> StateAsync()
    {
        var machine = await _http.GetFromJsonAsync<JsonElement>(Machine);
        var oee = machine.GetProperty("shiftOee");
        return string.Join('|',
            await _http.GetStringAsync($"{Machine}/events?count=50"),
            machine.GetProperty("state").GetRawText(),
            machine.GetProperty("openStop").GetRawText(),
            oee.GetProperty("totalCount").GetInt64(),
            oee.GetProperty("scrapCount").GetInt64(),
            await _http.GetStringAsync($"/api/sites/{Site}/maintenance/tickets"));
    }

    private static async Task<IReadOnlyList<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name).ToList() : [];
    }

    /// <summary>One app for the class: every test only asserts that nothing changed.</summary>
    public sealed class App : IDisposable
    {
        public MesApp Instance { get; } = MesApp.StartWith(Model);

        public void Dispose() => Instance.Dispose();
    }
}
