using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>Telemetry end to end: an MQTT client, the embedded broker, the stream, the machine grain, the REST API.</summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private MesApp _app = null!;
    private HttpClient _http = null!;
    private MqttDevice _device = null!;

    public async Task InitializeAsync()
    {
        _app = MesApp.StartWith(Model);
        _http = _app.CreateClient();
        _device = await MqttDevice.ConnectAsync(_app.BrokerPort);
    }

    public async Task DisposeAsync()
    {
        await _device.DisposeAsync();
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_state_message_turns_the_machine_down_at_the_events_time()
    {
        var at = ShiftStart.AddMinutes(30);
        await _device.PublishAsync(Topic(Press, "state"), $$"""{"ts":"{{at:O}}","state":"down","reason":"E12"}""");

        var status = await Eventually.ReadAsync(() => Status(Press), s => s.GetProperty("state").GetString() == "down");

        Assert.Equal("down", status.GetProperty("state").GetString());
        Assert.Equal(at, status.GetProperty("since").GetDateTimeOffset());
        Assert.Equal("E12", status.GetProperty("openStop").GetProperty("reasonCode").GetString());
        Assert.Equal("telemetry", status.GetProperty("openStop").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Replayed_cumulative_counts_give_the_hand_calculated_oee_over_a_past_window()
    {
        // The PLC's counter stood at 5000 before (the baseline), then: 60 parts, a repeated message, 60 more with
        // 4 scrap, a counter reset to 30, and a late message older than the reset (out of order, not a reset).
        var t0 = ShiftStart.AddMinutes(20);
        await _device.PublishAsync(Topic(Welder, "state"), State(t0, "running"));
        await _device.PublishAsync(Topic(Welder, "count"), Count(t0.AddMinutes(1), 5000, 10));
        await _device.PublishAsync(Topic(Welder, "count"), Count(t0.AddMinutes(10), 5060, 10));
        await _device.PublishAsync(Topic(Welder, "count"), Count(t0.AddMinutes(10), 5060, 10));
        await _device.PublishAsync(Topic(Welder, "state"), State(t0.AddMinutes(15), "down", "E12"));
        await _device.PublishAsync(Topic(Welder, "state"), State(t0.AddMinutes(25), "running"));
        await _device.PublishAsync(Topic(Welder, "count"), Count(t0.AddMinutes(30), 5120, 14));
        await _device.PublishAsync(Topic(Welder, "count"), Count(t0.AddMinutes(40), 30, 0));
        await _device.PublishAsync(Topic(Welder, "count"), Count(t0.AddMinutes(35), 5100, 14));

        var url = $"{MachineUrl(Welder)}/oee?from={Iso(t0)}&to={Iso(t0.AddMinutes(60))}";
        var oee = await Eventually.ReadAsync(() => _http.GetFromJsonAsync<JsonElement>(url), o => o.GetProperty("totalCount").GetInt64() == 150);

        // Window 60 min, all planned: run 50 min (10 min down) → A = 50/60.
        // Total = 60 + 60 + 30 = 150, scrap 4; ideal cycle 30 s: P = 30 × 150 / 3000 = 1.5 → capped at 1; Q = 146/150.
        Assert.Equal(150, oee.GetProperty("totalCount").GetInt64());
        Assert.Equal(4, oee.GetProperty("scrapCount").GetInt64());
        Assert.Equal(3000, oee.GetProperty("runTimeSeconds").GetDouble());
        Assert.Equal(50.0 / 60, oee.GetProperty("availability").GetDouble(), 6);
        Assert.Equal(1.0, oee.GetProperty("performance").GetDouble(), 6);
        Assert.Equal(146.0 / 150, oee.GetProperty("quality").GetDouble(), 6);

        // The figures come from the silos' reports, about a second old.
        var stats = await Eventually.ReadAsync(() => _http.GetFromJsonAsync<JsonElement>("/api/telemetry/stats"), s => s.GetProperty("duplicates").GetInt64() >= 2);
        Assert.True(stats.GetProperty("duplicates").GetInt64() >= 2);

        // A machine that counts itself takes scrap from people, but not good parts: those would count twice.
        Assert.True((await Status(Welder)).GetProperty("countsItself").GetBoolean());
        var byHand = await _http.PostAsJsonAsync($"{MachineUrl(Welder)}/counts", new { good = 5, @operator = "Anna" });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, byHand.StatusCode);
    }

    [Fact]
    public async Task Malformed_traffic_changes_nothing_and_is_counted_by_reason()
    {
        var before = await Status(Press);
        await _device.PublishAsync(Topic(Press, "state"), "{not json");
        await _device.PublishAsync(Topic(Press, "state"), """{"ts":"2026-01-01T00:00:00Z","state":"exploded"}""");
        await _device.PublishAsync(Topic(Press, "count"), $$"""{"ts":"{{DateTimeOffset.UtcNow.AddDays(1):O}}","total":5}""");
        await _device.PublishAsync(Topic("ghost-7", "state"), State(DateTimeOffset.UtcNow, "down"));

        var stats = await Eventually.ReadAsync(() => _http.GetFromJsonAsync<JsonElement>("/api/telemetry/stats"), s => s.GetProperty("rejected").EnumerateObject().Sum(r => r.Value.GetInt64()) >= 4);
        var rejected = stats.GetProperty("rejected");

        Assert.Equal(1, Rejected(rejected, "malformedJson"));
        Assert.Equal(1, Rejected(rejected, "invalidField") + Rejected(rejected, "tooOld"));
        Assert.Equal(1, Rejected(rejected, "inFuture"));
        Assert.Equal(1, Rejected(rejected, "unknownMachine"));
        Assert.Equal(4, stats.GetProperty("received").GetInt64());
        Assert.Equal(0, stats.GetProperty("accepted").GetInt64());
        Assert.Equal(Recorded(before), Recorded(await Status(Press)));
        var unknown = await Eventually.ReadAsync(() => _http.GetFromJsonAsync<JsonElement>("/api/telemetry/unknown-devices"), u => u.GetArrayLength() > 0);
        Assert.Contains(unknown.EnumerateArray(), d => d.GetProperty("machinePath").GetString() == $"{Site}/{Line}/ghost-7");
    }

    // What was recorded about a machine, without the figures that move with the clock.
    private static string Recorded(JsonElement status) =>
        string.Join('|', status.GetProperty("state"), status.GetProperty("since"), status.GetProperty("openStop"),
            status.GetProperty("shiftOee").GetProperty("totalCount"), status.GetProperty("shiftOee").GetProperty("scrapCount"));

    private static long Rejected(JsonElement rejected, string reason) =>
        rejected.TryGetProperty(reason, out var count) ? count.GetInt64() : 0;

    private Task<JsonElement> Status(string machine) => _http.GetFromJsonAsync<JsonElement>(MachineUrl(machine));

    private static string Topic(string machine, string signal) => $"mes/{Site}/{Line}/{machine}/{signal}";

    private static string State(DateTimeOffset ts, string state, string? reason = null) =>
        reason is null ? $$"""{"ts":"{{ts:O}}","state":"{{state}}"}""" : $$"""{"ts":"{{ts:O}}","state":"{{state}}","reason":"{{reason}}"}""";

    private static string Count(DateTimeOffset ts, long total, long scrap) => $$"""{"ts":"{{ts:O}}","total":{{total}},"scrap":{{scrap}}}""";

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O"));
}
