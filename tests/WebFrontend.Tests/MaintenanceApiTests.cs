using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using MesOrleans.WebFrontend.Maintenance;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>The maintenance ticket API of the running app, over HTTP on a real Kestrel server.</summary>
public sealed class MaintenanceApiTests : IClassFixture<MaintenanceApiTests.App>, IDisposable
{
    private const string Queue = $"/api/sites/{Site}/maintenance/tickets";
    private readonly App _app;
    private readonly HttpClient _http;

    public MaintenanceApiTests(App app)
    {
        _app = app;
        _http = app.Instance.CreateClient();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_ticket_goes_from_open_to_closed_and_wrong_steps_are_refused()
    {
        var opened = await _http.PostAsJsonAsync(Queue, new { machineId = $"{Site}/{Line}/{Press}", title = "Guard loose", priority = "high", openedBy = "Anna", note = "left side" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var ticket = await opened.Content.ReadFromJsonAsync<JsonElement>();
        var id = ticket.GetProperty("id").GetString()!;
        var url = $"/api/maintenance/tickets/{id}";
        Assert.Equal(url, opened.Headers.Location?.OriginalString);
        Assert.Equal(("open", "high", "manual"), (Text(ticket, "status"), Text(ticket, "priority"), Text(ticket, "origin")));
        Assert.Contains((await _http.GetFromJsonAsync<JsonElement>(Queue)).EnumerateArray(), t => Text(t, "id") == id);

        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync($"{url}/start", new { by = "Ben" })).StatusCode);
        await PostOk($"{url}/acknowledge", new { by = "Ben" });
        await PostOk($"{url}/start", new { by = "Ben" });
        await PostOk($"{url}/notes", new { by = "Ben", text = "bracket cracked" });

        var incomplete = await _http.PostAsJsonAsync($"{url}/resolve", new { by = "Ben", rootCause = "", action = " " });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        var problem = await incomplete.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["$.action", "$.rootCause"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        await PostOk($"{url}/resolve", new { by = "Ben", rootCause = "Cracked bracket", action = "Welded" });
        var closed = await PostOk($"{url}/close", new { by = "Carla" });

        Assert.Equal(("closed", "Carla", "Cracked bracket"), (Text(closed, "status"), Text(closed, "closedBy"), Text(closed, "rootCause")));
        Assert.Equal(["left side", "bracket cracked"], closed.GetProperty("notes").EnumerateArray().Select(n => Text(n, "text")));
        Assert.Equal("closed", Text(await _http.GetFromJsonAsync<JsonElement>(url), "status"));
        Assert.DoesNotContain((await _http.GetFromJsonAsync<JsonElement>(Queue)).EnumerateArray(), t => Text(t, "id") == id);
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync($"{url}/close", new { by = "Carla" })).StatusCode);

        var kpis = await _http.GetFromJsonAsync<JsonElement>(
            $"/api/sites/{Site}/maintenance/kpis?from={Iso(DateTimeOffset.UtcNow.AddHours(-1))}&to={Iso(DateTimeOffset.UtcNow.AddHours(1))}");
        var press = kpis.GetProperty("machines").EnumerateArray().Single(m => Text(m, "scope") == $"{Site}/{Line}/{Press}");
        Assert.Equal(1, press.GetProperty("resolved").GetInt32());
        Assert.True(press.GetProperty("meanTimeToRepairSeconds").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, press.GetProperty("meanTimeBetweenFailuresSeconds").ValueKind);
    }

    [Fact]
    public async Task Kpis_count_the_run_time_read_from_history_and_give_no_mtbf_below_a_shift_of_it()
    {
        // The welder runs from the shift's start (three hours ago) and breaks down once, an hour ago.
        await PostOk($"{MachineUrl(Welder)}/state", new { state = "running", at = ShiftStart });
        await PostOk(Queue, new { machineId = $"{Site}/{Line}/{Welder}", title = "Spatter", openedBy = "Anna" });

        // History is written within a second of the command.
        var kpis = await Eventually.ReadAsync(
            () => _http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/maintenance/kpis?from={Iso(ShiftStart)}&to={Iso(DateTimeOffset.UtcNow.AddHours(1))}"),
            k => WelderOf(k).GetProperty("runTimeSeconds").GetDouble() > 0);

        var welder = WelderOf(kpis);
        var runTime = TimeSpan.FromSeconds(welder.GetProperty("runTimeSeconds").GetDouble());
        // Running since the shift's start, up to now: however long the suite has taken to get here.
        Assert.InRange(runTime, TimeSpan.FromHours(3) - TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow - ShiftStart);
        Assert.True(kpis.GetProperty("site").GetProperty("runTimeSeconds").GetDouble() >= runTime.TotalSeconds);
        Assert.Equal(JsonValueKind.Null, welder.GetProperty("meanTimeBetweenFailuresSeconds").ValueKind);
    }

    [Theory]
    [InlineData("/api/maintenance/tickets/plant1-9999")]
    [InlineData("/api/maintenance/tickets/not-a-ticket")]
    [InlineData("/api/maintenance/tickets/plant1-042")]
    [InlineData("/api/sites/nope/maintenance/tickets")]
    [InlineData("/api/sites/nope/maintenance/kpis")]
    public async Task Unknown_tickets_and_sites_answer_404(string url)
    {
        var response = await _http.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Invalid_openings_and_periods_answer_400_with_the_fields()
    {
        var response = await _http.PostAsJsonAsync(Queue, new { machineId = $"{Site}/{Line}/nope", title = "", openedBy = "Anna" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["$.machineId", "$.title"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync($"/api/sites/{Site}/maintenance/kpis?from=2026-01-01T00:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync($"/api/sites/{Site}/maintenance/kpis?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")).StatusCode);
    }

    [Fact]
    public async Task Open_pages_hear_of_ticket_changes_through_the_board_feed()
    {
        var feed = _app.Instance.Services.GetRequiredService<MaintenanceBoardFeed>();
        var heard = Channel.CreateUnbounded<BoardChange>();
        await using var listening = await feed.SubscribeAsync(Site, change => heard.Writer.WriteAsync(change).AsTask());

        var opened = await _http.PostAsJsonAsync(Queue, new { machineId = $"{Site}/{Line}/{Welder}", title = "Spatter", openedBy = "Anna" });
        var id = Text(await opened.Content.ReadFromJsonAsync<JsonElement>(), "id");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        BoardChange change;
        do
        {
            change = await heard.Reader.ReadAsync(timeout.Token);
        }
        while (change.Ticket?.Id != id);

        Assert.Equal("Spatter", change.Ticket!.Title);
    }

    [Theory]
    [InlineData("/maintenance", "Loading the maintenance queue")]
    [InlineData($"/maintenance/{Site}", "Loading the maintenance queue")]
    [InlineData("/admin", "Press 3")]
    public async Task The_maintenance_and_admin_pages_render_on_the_server(string url, string expected)
    {
        var html = await _http.GetStringAsync(url);

        Assert.Contains(expected, html);
    }

    private async Task<JsonElement> PostOk(string url, object body)
    {
        var response = await _http.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string? Text(JsonElement e, string property) => e.GetProperty(property).GetString();

    private static JsonElement WelderOf(JsonElement kpis) =>
        kpis.GetProperty("machines").EnumerateArray().Single(m => Text(m, "scope") == $"{Site}/{Line}/{Welder}");

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O"));

    /// <summary>One app for the class: tests use their own tickets.</summary>
    public sealed class App : IDisposable
    {
        public MesApp Instance { get; } = MesApp.StartWith(Model);

        public void Dispose() => Instance.Dispose();
    }
}
