using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>The REST API of the running app, over HTTP on a real Kestrel server.</summary>
public sealed class MachineApiTests : IClassFixture<MachineApiTests.App>, IDisposable
{
    private readonly HttpClient _http;

    public MachineApiTests(App app) => _http = app.Instance.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Health_answers_once_the_plant_model_is_applied_and_the_plant_is_the_files()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health")).StatusCode);

        var plant = await _http.GetFromJsonAsync<JsonElement>("/api/plant");
        var site = plant.GetProperty("sites")[0];
        Assert.Equal(Site, site.GetProperty("id").GetString());
        Assert.Equal([Press, Welder], site.GetProperty("lines")[0].GetProperty("machines").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("/api/sites/plant1/lines/assembly/machines/nope")]
    [InlineData("/api/sites/plant1/lines/nope")]
    [InlineData("/api/sites/nope")]
    [InlineData("/api/sites/plant1/lines/assembly/machines/bad%20id")]
    [InlineData("/api/sites/plant1/lines/assembly/machines/nope/oee")]
    public async Task Unknown_ids_answer_404_with_problem_details(string url)
    {
        var response = await _http.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_operator_stops_and_restarts_a_machine_and_bad_commands_are_refused()
    {
        var url = MachineUrl(Welder);
        var start = await _http.PostAsJsonAsync($"{url}/downtime", new { reasonCode = "E12", note = "leak", @operator = "Anna" });
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);

        var status = await _http.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("down", status.GetProperty("state").GetString());
        Assert.Equal("E12", status.GetProperty("openStop").GetProperty("reasonCode").GetString());

        var second = await _http.PostAsJsonAsync($"{url}/downtime", new { reasonCode = "E12", @operator = "Anna" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        var unknownReason = await _http.PatchAsJsonAsync($"{url}/downtime", new { reasonCode = "XX", @operator = "Anna" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownReason.StatusCode);
        Assert.Contains("XX", await unknownReason.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync($"{url}/downtime/end", new { @operator = "Anna" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync($"{url}/downtime/end", new { @operator = "Anna" })).StatusCode);

        var after = await _http.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("running", after.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("openStop").ValueKind);
    }

    [Fact]
    public async Task Malformed_and_invalid_bodies_answer_400_and_change_nothing()
    {
        var url = MachineUrl(Welder);
        var before = await _http.GetStringAsync($"{url}/events");

        var malformed = await _http.PostAsync($"{url}/scrap", new StringContent("{\"quantity\": ", System.Text.Encoding.UTF8, "application/json"));
        var negative = await _http.PostAsJsonAsync($"{url}/scrap", new { quantity = -2, reasonCode = "S01", @operator = "Anna" });
        var badState = await _http.PostAsJsonAsync($"{url}/state", new { state = "exploded" });
        var oneSided = await _http.GetAsync($"{url}/oee?from=2026-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, oneSided.StatusCode);
        Assert.Equal(before, await _http.GetStringAsync($"{url}/events"));
    }

    [Fact]
    public async Task Oee_over_a_past_window_matches_a_hand_calculation()
    {
        var url = MachineUrl(Press);
        var t0 = ShiftStart.AddMinutes(10);
        await Post($"{url}/state", new { state = "running", at = t0 });
        await Post($"{url}/counts", new { good = 100, @operator = "Anna", at = t0.AddMinutes(10) });
        await Post($"{url}/downtime", new { reasonCode = "E12", @operator = "Anna", at = t0.AddMinutes(20) });
        await Post($"{url}/downtime/end", new { @operator = "Anna", at = t0.AddMinutes(35) });
        await Post($"{url}/scrap", new { quantity = 5, reasonCode = "S01", @operator = "Anna", at = t0.AddMinutes(40) });

        // History is written within a second of the event; OEE over a past window reads it.
        var oee = await Eventually.ReadAsync(
            () => _http.GetFromJsonAsync<JsonElement>($"{url}/oee?from={Iso(t0)}&to={Iso(t0.AddMinutes(60))}"),
            o => o.GetProperty("totalCount").GetInt64() == 105);

        // PBT 60 min, APT 45 min: A = 0.75. P = 20 s × 105 / 2700 s. Q = 100 / 105.
        Assert.Equal(3600, oee.GetProperty("plannedBusyTimeSeconds").GetDouble());
        Assert.Equal(2700, oee.GetProperty("runTimeSeconds").GetDouble());
        Assert.Equal(0.75, oee.GetProperty("availability").GetDouble(), 6);
        Assert.Equal(2100.0 / 2700, oee.GetProperty("performance").GetDouble(), 6);
        Assert.Equal(100.0 / 105, oee.GetProperty("quality").GetDouble(), 6);
        Assert.Equal(0.75 * 2100 / 2700 * 100 / 105, oee.GetProperty("oee").GetDouble(), 6);
        Assert.Equal((100L, 5L), (oee.GetProperty("goodCount").GetInt64(), oee.GetProperty("scrapCount").GetInt64()));

        var line = await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/lines/{Line}/oee?from={Iso(t0)}&to={Iso(t0.AddMinutes(60))}");
        Assert.True(line.GetProperty("totalCount").GetInt64() >= 105);
    }

    [Fact]
    public async Task Put_plant_reports_every_problem_by_path_and_changes_nothing()
    {
        var before = await _http.GetStringAsync("/api/plant");
        var invalid = """
            {"sites":[{"id":"plant 1","name":"","timeZone":"Mars/Olympus","shifts":[],"lines":[
              {"id":"a","name":"A","machines":[{"id":"m","name":"M","idealCycleTimeSeconds":0}]}]}],
             "downtimeReasons":[],"scrapReasons":[]}
            """;

        var response = await _http.PutAsync("/api/plant", new StringContent(invalid, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var paths = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("$.sites[0].id", paths);
        Assert.Contains("$.sites[0].name", paths);
        Assert.Contains("$.sites[0].timeZone", paths);
        Assert.Contains("$.sites[0].lines[0].machines[0].idealCycleTimeSeconds", paths);
        Assert.Equal(before, await _http.GetStringAsync("/api/plant"));
    }

    [Fact]
    public async Task The_home_page_lists_the_plant()
    {
        var html = await _http.GetStringAsync("/");

        Assert.Contains("Plant 1", html);
        Assert.Contains("Press 3", html);
    }

    [Theory]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/Radzen.Blazor/Radzen.Blazor.js")]
    [InlineData("/_content/Radzen.Blazor/css/material-base.css")]
    public async Task Static_assets_are_served_outside_development(string url)
    {
        var response = await _http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task Post(string url, object body)
    {
        var response = await _http.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O"));

    /// <summary>One app for the class: tests use different machines or assert only on what they did.</summary>
    public sealed class App : IDisposable
    {
        public MesApp Instance { get; } = MesApp.StartWith(Model);

        public void Dispose() => Instance.Dispose();
    }
}
