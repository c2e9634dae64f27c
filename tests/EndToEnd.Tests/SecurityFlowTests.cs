using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using MesOrleans.EndToEnd.Tests.Infrastructure;
using MesOrleans.Plant;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static MesOrleans.EndToEnd.Tests.Infrastructure.Browser;
using static MesOrleans.EndToEnd.Tests.Infrastructure.FloorPlant;

namespace MesOrleans.EndToEnd.Tests;

/// <summary>Each kind of user in a real browser: an operator at a bound station, a supervisor of one site, an admin.</summary>
public sealed class SecurityFlowTests(ITestOutputHelper output)
{
    private const string OtherSite = "plant2";

    private static readonly Manager EnterpriseAdmin = new(
        MesAccess.Of(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "test-setup"), new Claim(SiteGrant.ClaimType, "admin@*")], "test"))),
        "127.0.0.1");

    /// <summary>The floor plant with a second site, Werk Süd.</summary>
    private static PlantModel TwoSites() => Model with { Sites = [.. Model.Sites, Model.Sites[0] with { Id = OtherSite, Name = "Werk Süd" }] };

    [SkippableFact]
    public async Task An_operator_signs_in_at_a_bound_station_by_number_and_PIN_and_their_stop_carries_their_name()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Model, new Dictionary<string, string?> { ["Mes:Auth:Station:IdleSignOut"] = "00:00:05" });
        var users = app.Services.GetRequiredService<UserDirectory>();
        var anna = await users.CreateAsync(EnterpriseAdmin, "4711", "Anna Berg", null, [new(MesRoles.Operator, Site)]);
        await users.SetPinAsync(EnterpriseAdmin, anna, "2468");
        await using var browser = await Browser.LaunchAsync();

        // An admin binds the tablet to the assembly line, on the tablet itself; the tablet then lists that line only.
        var tablet = await browser.OpenAsync(app, "admin/stations", "[data-form=bind-station]");
        await tablet.FillAsync("[data-form=bind-station] input[name=name]", "Assembly tablet");
        await tablet.SelectOptionAsync("[data-form=bind-station] select[name=line]", $"{Site}/{Assembly}");
        await tablet.ClickAsync("button[data-action=bind-station]");
        await tablet.WaitForSelectorAsync(".mes-machine-choice", TenSeconds);
        Assert.Equal(4, await tablet.Locator(".mes-machine-choice").CountAsync());
        Assert.Equal(0, await tablet.Locator("[data-line=packaging]").CountAsync());
        await Shoot(tablet, "station-1-bound-to-its-line");

        // Nobody is signed in: the first command asks who is there. Number, then PIN.
        await Screens.OpenAsync(tablet, app.BaseAddress, $"operator/{PressId}", ".mes-station[data-live=on]");
        await tablet.WaitForSelectorAsync("button[data-action=sign-in]:has-text('Nobody signed in')", TenSeconds);
        await tablet.ClickAsync(".mes-station-state button[data-action=down]");
        await tablet.ClickAsync(".mes-overlay button[data-code=E12]");
        await tablet.WaitForSelectorAsync(".mes-overlay .mes-signin", TenSeconds);
        await TypeAsync(tablet, "4711");
        await tablet.WaitForSelectorAsync("[data-role=pin]", TenSeconds);
        await TypeAsync(tablet, "2468");
        await Shoot(tablet, "station-2-pin-entered");
        await tablet.WaitForSelectorAsync("button[data-action=sign-in]:has-text('Anna Berg')", TenSeconds);

        await tablet.ClickAsync(".mes-station-state button[data-action=down]");
        await tablet.ClickAsync(".mes-overlay button[data-code=E12]");
        await tablet.WaitForSelectorAsync(".mes-station[data-state=Down]", TenSeconds);
        await Shoot(tablet, "station-3-down-by-anna");
        using var http = app.CreateClient();
        var status = await MachineApi.StatusAsync(http, $"{Assembly}/{Press}");
        Assert.Equal("Anna Berg", status.GetProperty("openStop").GetProperty("operator").GetString());
        var audit = await app.Services.GetRequiredService<AuditTrail>().SearchAsync(new AuditQuery(Text: "machine.downtime.start"), EnterpriseAdmin.Access);
        Assert.Contains(audit, e => e.Actor == "station:Assembly tablet/Anna Berg" && e.Target == PressId && e.Outcome == "ok");

        // Idle, the station signs Anna out by itself.
        await tablet.WaitForSelectorAsync("button[data-action=sign-in]:has-text('Nobody signed in')", TenSeconds);

        // The tablet opens nothing but its line's stations.
        Assert.Equal((int)HttpStatusCode.Forbidden, (await tablet.GotoAsync(new Uri(app.BaseAddress, $"operator/{Site}/packaging/filler-1").ToString()))!.Status);
        Assert.Equal((int)HttpStatusCode.Forbidden, (await tablet.GotoAsync(new Uri(app.BaseAddress, $"dashboard/{Site}").ToString()))!.Status);
    }

    [SkippableFact]
    public async Task A_supervisor_of_one_site_sees_that_site_only()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(TwoSites());
        await app.AddUserAsync("maria", "Maria-pass-1", $"{MesRoles.Supervisor}@{Site}");
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenAsync(app, "", ".mes-site", Tablet, ("maria", "Maria-pass-1"));
        Assert.Equal(1, await page.Locator($".mes-site[data-site={Site}]").CountAsync());
        Assert.Equal(0, await page.Locator($".mes-site[data-site={OtherSite}]").CountAsync());
        Assert.Equal(0, await page.Locator(".rz-sidebar a[href='admin/users']").CountAsync());
        Assert.Equal(0, await page.Locator(".mes-site-switcher").CountAsync());
        await Shoot(page, "supervisor-1-home-one-site");

        await Screens.OpenAsync(page, app.BaseAddress, $"dashboard/{Site}", ".mes-board[data-live=on]");
        await Shoot(page, "supervisor-2-board");
        Assert.Equal((int)HttpStatusCode.Forbidden, (await page.GotoAsync(new Uri(app.BaseAddress, $"dashboard/{OtherSite}").ToString()))!.Status);
        Assert.Equal((int)HttpStatusCode.Forbidden, (await page.GotoAsync(new Uri(app.BaseAddress, "admin").ToString()))!.Status);
        Assert.Equal((int)HttpStatusCode.Forbidden, (await page.GotoAsync(new Uri(app.BaseAddress, $"api/sites/{OtherSite}").ToString()))!.Status);
    }

    [SkippableFact]
    public async Task An_admin_creates_a_user_and_a_token_switches_sites_and_finds_it_all_in_the_audit_trail()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(TwoSites());
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenAsync(app, "admin/users", "[data-form=new-user]", WallTv);

        await page.FillAsync("[data-form=new-user] input[name=userName]", "ben");
        await page.FillAsync("[data-form=new-user] input[name=displayName]", "Ben Ort");
        await page.FillAsync("[data-form=new-user] input[name=password]", "Ben-pass-1");
        await page.SelectOptionAsync("[data-form=new-user] select[name=role]", MesRoles.Maintenance);
        await page.SelectOptionAsync("[data-form=new-user] select[name=site]", Site);
        await page.ClickAsync("button[data-action=create-user]");
        await page.WaitForSelectorAsync($"tr[data-user=ben] [data-grant='{MesRoles.Maintenance}@{Site}']", TenSeconds);
        await Shoot(page, "admin-users-1-created");
        Assert.NotEmpty(await app.SignInAsync("ben", "Ben-pass-1"));

        await Screens.OpenAsync(page, app.BaseAddress, "admin/tokens", "[data-form=new-token]");
        await page.FillAsync("[data-form=new-token] input[name=name]", "TV wall hall 1");
        await page.CheckAsync($"[data-form=new-token] input[name=site][value={Site}]");
        await page.ClickAsync("button[data-action=create-token]");
        var token = await (await page.WaitForSelectorAsync("[data-token]", TenSeconds))!.GetAttributeAsync("data-token");
        await Shoot(page, "admin-tokens-1-shown-once");
        using (var wall = app.CreateClient(token!))
        {
            Assert.Equal(HttpStatusCode.OK, (await wall.GetAsync($"api/sites/{Site}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await wall.GetAsync($"api/sites/{OtherSite}")).StatusCode);
            await page.ClickAsync("tr[data-token-name='TV wall hall 1'] button[data-action=revoke]");
            await page.WaitForSelectorAsync("tr[data-token-name='TV wall hall 1'][data-revoked=yes]", TenSeconds);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wall.GetAsync($"api/sites/{Site}")).StatusCode);
        }

        // Two sites: the switcher takes the board from one to the other.
        await Screens.OpenAsync(page, app.BaseAddress, $"dashboard/{Site}", ".mes-board[data-live=on]");
        await page.ClickAsync(".mes-site-switcher");
        await page.ClickAsync(".rz-dropdown-item:has-text('Werk Süd')");
        await page.WaitForURLAsync(url => url.EndsWith($"/dashboard/{OtherSite}", StringComparison.Ordinal), new() { Timeout = 10_000 });

        await Screens.OpenAsync(page, app.BaseAddress, "enterprise", $".mes-card[data-site={OtherSite}]");
        Assert.Equal(2, await page.Locator(".mes-enterprise .mes-card").CountAsync());
        await Shoot(page, "admin-enterprise");

        await Screens.OpenAsync(page, app.BaseAddress, "admin/audit", "[data-table=audit]");
        await page.FillAsync("[data-form=audit-search] input[name=text]", "ben");
        await page.ClickAsync("button[data-action=search]");
        await page.WaitForSelectorAsync("tr[data-action='user.create']", TenSeconds);
        await page.WaitForSelectorAsync("tr[data-action='auth.sign-in'][data-actor=ben]", TenSeconds);
        await Shoot(page, "admin-audit");
        var csv = await page.APIRequest.GetAsync(new Uri(app.BaseAddress, "api/audit/export?text=ben").ToString());
        Assert.Equal(200, csv.Status);
        Assert.Contains("user.create", await csv.TextAsync());
    }

    private static async Task TypeAsync(IPage page, string digits)
    {
        foreach (var digit in digits)
        {
            await page.ClickAsync($".mes-overlay .mes-pad button[data-key='{digit}']");
        }

        await page.ClickAsync(".mes-overlay .mes-pad button[data-key=ok]");
    }

    [SkippableFact]
    public async Task A_supervisor_signs_in_with_the_plants_identity_provider_and_sees_that_site_only()
    {
        Chromium.Require();
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var app = MesApp.StartWith(TwoSites(), provider.MesSettings("Plant login"));
        await provider.RegisterClientAsync(app.BaseAddress);
        provider.Person = new TestPerson("sub-maria-1", "maria.lind", "Maria Lind", $"{MesRoles.Supervisor}@{Site}");
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();

        // The board asks who is there; the button goes to the provider, which knows Maria and sends her back.
        await page.GotoAsync(new Uri(app.BaseAddress, $"dashboard/{Site}").ToString());
        await page.WaitForSelectorAsync("a[data-action=sign-in-external]:has-text('Sign in with Plant login')", TenSeconds);
        await Shoot(page, "sso-1-sign-in-page");
        await page.ClickAsync("a[data-action=sign-in-external]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/dashboard/{Site}");
        await page.WaitForSelectorAsync(".mes-board[data-live=on]", TenSeconds);
        Assert.EndsWith("maria.lind", (await page.Locator("[data-role=signed-in-as]").InnerTextAsync()).Trim());
        await Shoot(page, "sso-2-board");

        Assert.Equal((int)HttpStatusCode.OK, (await page.GotoAsync(new Uri(app.BaseAddress, $"api/sites/{Site}").ToString()))!.Status);
        Assert.Equal((int)HttpStatusCode.Forbidden, (await page.GotoAsync(new Uri(app.BaseAddress, $"api/sites/{OtherSite}").ToString()))!.Status);
        Assert.Equal((int)HttpStatusCode.Forbidden, (await page.GotoAsync(new Uri(app.BaseAddress, $"dashboard/{OtherSite}").ToString()))!.Status);
    }

    private async Task Shoot(IPage page, string name) => output.WriteLine(await Screens.ShootAsync(page, name));
}
