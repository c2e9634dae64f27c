using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Plant;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.Security.Stations;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests.Security;

/// <summary>Every kind of command lands in the audit trail with who, when, from where and what; nothing in it can be changed.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task Every_kind_of_command_is_in_the_audit_trail_with_who_and_from_where()
    {
        await using var app = MesApp.StartWith(Model);
        using var http = app.CreateClient();
        var machine = MachineUrl(Press);
        var t0 = ShiftStart.AddMinutes(5);

        await Ok(http.PostAsJsonAsync($"{machine}/state", new { state = "running", at = t0 }));
        await Ok(http.PostAsJsonAsync($"{machine}/downtime", new { reasonCode = "E12", @operator = "Anna", at = t0.AddMinutes(1) }));
        await Ok(http.PatchAsJsonAsync($"{machine}/downtime", new { reasonCode = "PM", @operator = "Anna" }));
        var stop = (await (await http.PostAsJsonAsync($"{machine}/downtime/end", new { @operator = "Anna", at = t0.AddMinutes(10) })).Content.ReadFromJsonAsync<JsonElement>());
        var scrap = await (await http.PostAsJsonAsync($"{machine}/scrap", new { quantity = 2, reasonCode = "S01", @operator = "Anna", at = t0.AddMinutes(11) })).Content.ReadFromJsonAsync<JsonElement>();
        await Ok(http.PostAsJsonAsync($"{machine}/counts", new { good = 10, @operator = "Anna", at = t0.AddMinutes(12) }));
        var stopId = stop.GetProperty("refersTo").ValueKind == JsonValueKind.String ? stop.GetProperty("refersTo").GetString() : Guid.NewGuid().ToString();
        await http.PostAsJsonAsync($"{machine}/stops/{stopId}/recode", new { reasonCode = "E12", by = "Maria", why = "was a breakdown" });
        await http.PostAsJsonAsync($"{machine}/stops/{stopId}/split", new { at = t0.AddMinutes(5), reasonCode = "PM", by = "Maria", why = "maintenance took over" });
        await Ok(http.PostAsJsonAsync($"{machine}/entries/{scrap.GetProperty("id").GetString()}/void", new { by = "Maria", why = "counted twice" }));
        await Ok(http.PostAsJsonAsync("api/work-orders", new { orderNumber = "WO-AUD-1", product = "Bracket", targetQuantity = 5, lineId = $"{Site}/{Line}" }));
        await Ok(http.PostAsync("api/work-orders/WO-AUD-1/release", null));
        await Ok(http.PutAsync("api/plant", new StringContent(PlantModelJson.Write(Model), System.Text.Encoding.UTF8, "application/json")));
        var ticket = await (await http.PostAsJsonAsync($"api/sites/{Site}/maintenance/tickets", new { machineId = $"{Site}/{Line}/{Press}", title = "Guard loose", openedBy = "Anna" })).Content.ReadFromJsonAsync<JsonElement>();
        await Ok(http.PostAsJsonAsync($"api/maintenance/tickets/{ticket.GetProperty("id").GetString()}/acknowledge", new { by = "Ben" }));
        var token = await (await http.PostAsJsonAsync("api/tokens", new { name = "ERP", sites = new[] { Site }, roles = new[] { "planner" } })).Content.ReadFromJsonAsync<JsonElement>();
        await Ok(http.DeleteAsync($"api/tokens/{token.GetProperty("id").GetString()}"));
        using (var anonymous = app.CreateAnonymousClient())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/auth/login", new { userName = "mallory", password = "guess" })).StatusCode);
        }

        var users = app.Services.GetRequiredService<UserDirectory>();
        var user = await users.CreateAsync(Principals.EnterpriseAdmin, "4711", "Anna Berg", null, [new("operator", Site)]);
        await users.SetPinAsync(Principals.EnterpriseAdmin, user, "2468");
        await users.SetDisabledAsync(Principals.EnterpriseAdmin, user, disabled: true);
        await app.Services.GetRequiredService<StationRegistry>().BindAsync(Principals.EnterpriseAdmin, "Press tablet", $"{Site}/{Line}");

        var entries = await http.GetFromJsonAsync<JsonElement>("api/audit?limit=1000");
        var actions = entries.EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToList();
        foreach (var expected in new[]
                 {
                     "POST /api/sites/{site}/lines/{line}/machines/{machine}/state",
                     "POST /api/sites/{site}/lines/{line}/machines/{machine}/downtime",
                     "PATCH /api/sites/{site}/lines/{line}/machines/{machine}/downtime",
                     "POST /api/sites/{site}/lines/{line}/machines/{machine}/downtime/end",
                     "POST /api/sites/{site}/lines/{line}/machines/{machine}/scrap",
                     "POST /api/sites/{site}/lines/{line}/machines/{machine}/counts",
                     "POST /api/sites/{site}/lines/{line}/machines/{machine}/stops/{stopId:guid}/recode",
                     "POST /api/sites/{site}/lines/{line}/machines/{machine}/stops/{stopId:guid}/split",
                     "POST /api/sites/{site}/lines/{line}/machines/{machine}/entries/{entryId:guid}/void",
                     "POST /api/work-orders/", "POST /api/work-orders/{orderNumber}/release",
                     "PUT /api/plant/",
                     "POST /api/sites/{site}/maintenance/tickets", "POST /api/maintenance/tickets/{id}/acknowledge",
                     "POST /api/tokens/", "DELETE /api/tokens/{tokenId}",
                     "auth.sign-in.failed", "auth.sign-in",
                     "user.create", "user.set-pin", "user.disable", "station.bind",
                 })
        {
            Assert.Contains(expected, actions);
        }

        var downtime = entries.EnumerateArray().First(e => e.GetProperty("action").GetString() == "POST /api/sites/{site}/lines/{line}/machines/{machine}/downtime");
        Assert.Equal(MesApp.AdminUserName, downtime.GetProperty("actor").GetString());
        Assert.Contains("127.0.0.1", downtime.GetProperty("address").GetString());
        Assert.Equal(Site, downtime.GetProperty("site").GetString());
        Assert.Contains("E12", downtime.GetProperty("detail").GetString());
        Assert.Equal("ok", downtime.GetProperty("outcome").GetString());
        var failed = entries.EnumerateArray().First(e => e.GetProperty("action").GetString() == "auth.sign-in.failed");
        Assert.Equal("mallory", failed.GetProperty("actor").GetString());
        Assert.DoesNotContain(entries.EnumerateArray(), e => e.GetRawText().Contains("guess", StringComparison.Ordinal));

        var csv = await http.GetAsync("api/audit/export?text=mallory");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AuditCsv.Header, lines[0]);
        Assert.Contains(lines.Skip(1), l => l.Contains("mallory", StringComparison.Ordinal) && l.Contains("auth.sign-in.failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_in_the_audit_trail_can_be_changed_or_deleted()
    {
        await using var app = MesApp.StartWith(Model);
        using (var http = app.CreateClient())
        {
            await Ok(http.PostAsJsonAsync($"{MachineUrl(Press)}/state", new { state = "running" }));
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "identity.db")}");
        await connection.OpenAsync();
        foreach (var sql in new[] { "UPDATE MesAudit SET Actor = 'someone else'", "DELETE FROM MesAudit" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var refused = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", refused.Message);
        }
    }

    [Fact]
    public async Task An_admin_of_one_site_reads_only_that_sites_entries()
    {
        await using var app = await TwoSites.StartAsync();
        using (var admin = app.CreateClient())
        {
            await Ok(admin.PostAsJsonAsync($"api/sites/{TwoSites.Other}/lines/{Line}/machines/{Press}/state", new { state = "running" }));
            await Ok(admin.PostAsJsonAsync($"{MachineUrl(Press)}/state", new { state = "running" }));
        }

        using var siteAdmin = app.CreateClient(await app.SignInAsync(TwoSites.UserName("admin", Site), TwoSites.Password));
        var entries = await siteAdmin.GetFromJsonAsync<JsonElement>("api/audit");

        Assert.Contains(entries.EnumerateArray(), e => e.GetProperty("site").GetString() == Site);
        Assert.All(entries.EnumerateArray(), e => Assert.Equal(Site, e.GetProperty("site").GetString()));
    }

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
