using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>
/// The reports API on the running app: figures by hand on fixed data, the same figures as the OEE endpoint and the live
/// shift for the same window, CSV, bounds, and sites kept apart.
/// </summary>
public sealed class ReportsApiTests(ReportsApiTests.App app) : IClassFixture<ReportsApiTests.App>
{
    // The press ran from +10 min, made 105 parts (5 scrap) and stopped 15 min for a hydraulic fault; the hour is over.
    private static readonly DateTimeOffset T0 = ShiftStart;
    private static readonly string Window = $"from={Iso(T0)}&to={Iso(T0.AddMinutes(60))}";

    [Fact]
    public async Task Oee_by_shift_matches_a_hand_calculation_and_the_oee_endpoint()
    {
        using var http = app.Instance.CreateClient();
        var report = await http.GetFromJsonAsync<JsonElement>($"/api/reports/oee?site={Site}&machine={Line}/{Press}&{Window}&groupBy=shift");

        // 10 min unmonitored, PBT 50 min, run 35 min: A = 0.7; P = 20 s × 105 / 2100 s = 1; Q = 100 / 105.
        var row = Assert.Single(report.GetProperty("rows").EnumerateArray());
        Assert.Equal($"{T0:yyyy-MM-dd} Day", row.GetProperty("period").GetString());
        Assert.Equal(3000, row.GetProperty("plannedBusyTimeSeconds").GetDouble());
        Assert.Equal(2100, row.GetProperty("runTimeSeconds").GetDouble());
        Assert.Equal(0.7, row.GetProperty("availability").GetDouble(), 9);
        Assert.Equal(1.0, row.GetProperty("performance").GetDouble(), 9);
        Assert.Equal(100.0 / 105, row.GetProperty("quality").GetDouble(), 9);
        Assert.Equal(0.7 * 100 / 105, row.GetProperty("oee").GetDouble(), 9);
        Assert.Equal((105L, 100L, 5L), (row.GetProperty("totalCount").GetInt64(), row.GetProperty("goodCount").GetInt64(), row.GetProperty("scrapCount").GetInt64()));
        var total = report.GetProperty("total");
        Assert.Equal(600, total.GetProperty("unmonitoredSeconds").GetDouble());

        var oee = await http.GetFromJsonAsync<JsonElement>($"{MachineUrl(Press)}/oee?{Window}");
        foreach (var field in new[] { "availability", "performance", "quality", "oee", "plannedBusyTimeSeconds", "runTimeSeconds", "totalCount", "goodCount", "scrapCount", "unmonitoredSeconds" })
        {
            Assert.Equal(oee.GetProperty(field).GetDouble(), total.GetProperty(field).GetDouble(), 9);
        }

        // The site adds the welder, which the MES never heard of: all of its hour is unmonitored.
        var site = (await http.GetFromJsonAsync<JsonElement>($"/api/reports/oee?site={Site}&{Window}&groupBy=day")).GetProperty("total");
        var siteOee = await http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/oee?{Window}");
        Assert.Equal(4200, site.GetProperty("unmonitoredSeconds").GetDouble());
        Assert.Equal(siteOee.GetProperty("plannedBusyTimeSeconds").GetDouble(), site.GetProperty("plannedBusyTimeSeconds").GetDouble());
        Assert.Equal(siteOee.GetProperty("oee").GetDouble(), site.GetProperty("oee").GetDouble(), 9);
    }

    [Fact]
    public async Task Downtime_by_reason_category_and_machine_counts_the_stop_once()
    {
        using var http = app.Instance.CreateClient();

        var byReason = await http.GetFromJsonAsync<JsonElement>($"/api/reports/downtime?site={Site}&{Window}&groupBy=reason");
        var row = Assert.Single(byReason.GetProperty("rows").EnumerateArray());
        Assert.Equal(("E12", "Hydraulic fault", "breakdown"), (row.GetProperty("key").GetString(), row.GetProperty("name").GetString(), row.GetProperty("category").GetString()));
        Assert.Equal((900.0, 1L, 1.0), (row.GetProperty("seconds").GetDouble(), row.GetProperty("stops").GetInt64(), row.GetProperty("share").GetDouble()));

        var byCategory = await http.GetFromJsonAsync<JsonElement>($"/api/reports/downtime?site={Site}&{Window}&groupBy=category");
        Assert.Equal("breakdown", Assert.Single(byCategory.GetProperty("rows").EnumerateArray()).GetProperty("key").GetString());

        var byMachine = await http.GetFromJsonAsync<JsonElement>($"/api/reports/downtime?site={Site}&{Window}&groupBy=machine");
        var machine = Assert.Single(byMachine.GetProperty("rows").EnumerateArray());
        Assert.Equal(($"{Line}/{Press}", "Press 3", 900.0), (machine.GetProperty("key").GetString(), machine.GetProperty("name").GetString(), machine.GetProperty("seconds").GetDouble()));
    }

    [Fact]
    public async Task Reports_answer_csv_with_a_header_row_when_asked_by_accept_or_format()
    {
        using var http = app.Instance.CreateClient();
        var byFormat = await http.GetAsync($"/api/reports/oee?site={Site}&machine={Line}/{Press}&{Window}&groupBy=shift&format=csv");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/downtime?site={Site}&{Window}");
        request.Headers.Accept.ParseAdd("text/csv");
        var byAccept = await http.SendAsync(request);

        Assert.Equal("text/csv", byFormat.Content.Headers.ContentType?.MediaType);
        var lines = (await byFormat.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("period,from,to,availability,performance,quality,oee,plannedBusyTimeSeconds,runTimeSeconds,totalCount,goodCount,scrapCount,unmonitoredSeconds", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{T0:yyyy-MM-dd} Day,", lines[1]);
        Assert.Contains(",0.7,1,", lines[1]);
        Assert.StartsWith("total,", lines[2]);

        Assert.Equal("text/csv", byAccept.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["key,name,category,seconds,stops,share", "E12,Hydraulic fault,breakdown,900,1,1"], (await byAccept.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        var xlsx = await http.GetAsync($"/api/reports/downtime?site={Site}&{Window}&format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PK"u8.ToArray(), (await xlsx.Content.ReadAsByteArrayAsync())[..2]);
    }

    [Theory]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", "site")]
    [InlineData("site=plant1&to=2026-01-02T00:00:00Z", "from")]
    [InlineData("site=plant1&from=2026-01-01T00:00:00&to=2026-01-02T00:00:00Z", "from")]
    [InlineData("site=plant1&from=2026-01-01T00:00:00Z&to=2028-01-03T00:00:00Z", "to")]
    [InlineData("site=plant1&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=month", "groupBy")]
    [InlineData("site=plant1&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=1", "groupBy")]
    [InlineData("site=plant1&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&machine=press-3", "machine")]
    [InlineData("site=plant1&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&format=pdf", "format")]
    public async Task A_request_out_of_bounds_answers_400_naming_the_field(string query, string field)
    {
        using var http = app.Instance.CreateClient();
        var response = await http.GetAsync($"/api/reports/oee?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_equipment_answers_404_and_sites_are_kept_apart()
    {
        using var http = app.Instance.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/reports/oee?site={Site}&line=nope&{Window}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/reports/downtime?site=nope&{Window}")).StatusCode);

        using var otherSupervisor = app.Instance.CreateClient(await app.Instance.SignInAsync(TwoSites.UserName(MesRoles.Supervisor, TwoSites.Other), TwoSites.Password));
        using var operatorHere = app.Instance.CreateClient(await app.Instance.SignInAsync(TwoSites.UserName(MesRoles.Operator, Site), TwoSites.Password));
        using var engineerHere = app.Instance.CreateClient(await app.Instance.SignInAsync(TwoSites.UserName(MesRoles.Engineer, Site), TwoSites.Password));
        Assert.Equal(HttpStatusCode.Forbidden, (await otherSupervisor.GetAsync($"/api/reports/oee?site={Site}&{Window}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorHere.GetAsync($"/api/reports/oee?site={Site}&{Window}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await engineerHere.GetAsync($"/api/reports/oee?site={Site}&{Window}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherSupervisor.GetAsync($"/api/reports/oee?site={TwoSites.Other}&{Window}")).StatusCode);
    }

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O"));

    /// <summary>Two sites with a user per role, and the press's fixed hour recorded at the first.</summary>
    public sealed class App : IAsyncLifetime
    {
        public MesApp Instance { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Instance = await TwoSites.StartAsync();
            using var http = Instance.CreateClient();
            var url = MachineUrl(Press);
            foreach (var (path, body) in new (string, object)[]
            {
                ("state", new { state = "running", at = T0.AddMinutes(10) }),
                ("counts", new { good = 100, @operator = "Anna", at = T0.AddMinutes(12) }),
                ("downtime", new { reasonCode = "E12", @operator = "Anna", at = T0.AddMinutes(20) }),
                ("downtime/end", new { @operator = "Anna", at = T0.AddMinutes(35) }),
                ("scrap", new { quantity = 5, reasonCode = "S01", @operator = "Anna", at = T0.AddMinutes(40) }),
            })
            {
                (await http.PostAsJsonAsync($"{url}/{path}", body)).EnsureSuccessStatusCode();
            }
        }

        public async Task DisposeAsync() => await Instance.DisposeAsync();
    }
}
