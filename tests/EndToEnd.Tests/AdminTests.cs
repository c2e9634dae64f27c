using System.Net;
using MesOrleans.EndToEnd.Tests.Infrastructure;
using MesOrleans.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static MesOrleans.EndToEnd.Tests.Infrastructure.Browser;
using static MesOrleans.EndToEnd.Tests.Infrastructure.FloorPlant;

namespace MesOrleans.EndToEnd.Tests;

/// <summary>The admin page changes the plant, and an open dashboard follows.</summary>
public sealed class AdminTests(ITestOutputHelper output)
{
    // The assembly line is the first line of the first site and has four machines: the new one is the fifth.
    private const string NewMachine = "$.sites[0].lines[0].machines[4]";
    private static readonly string NewTile = $".mes-tile[data-machine=\"{Site}/{Assembly}/press-3\"]";

    [SkippableFact]
    public async Task A_machine_added_on_the_admin_page_appears_on_the_open_dashboard_and_an_invalid_cycle_time_applies_nothing()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Model);
        using var http = app.CreateClient();
        await using var browser = await Browser.LaunchAsync();
        var board = await browser.OpenAsync(app, $"dashboard/{Site}", ".mes-board[data-live=on]", WallTv);
        var admin = await browser.OpenAsync(app, "admin", $"button[data-add-machine={Assembly}]", WallTv);
        var assemblyTiles = board.Locator($".mes-board-line[data-line=\"{Site}/{Assembly}\"] .mes-tile");
        Assert.Equal(4, await assemblyTiles.CountAsync());

        await admin.ClickAsync($"button[data-add-machine={Assembly}]");
        await admin.FillAsync(Field("id"), "press-3");
        await admin.FillAsync(Field("name"), "Stamping Press 3");
        await admin.FillAsync(Field("idealCycleTimeSeconds"), "0");
        await admin.PressAsync(Field("idealCycleTimeSeconds"), "Tab");

        // An ideal cycle time of 0 is marked at its field, and applying it changes nothing.
        var problem = admin.Locator($".mes-field-problem[data-problem-path=\"{NewMachine}.idealCycleTimeSeconds\"]");
        await problem.WaitForAsync(new() { Timeout = 10_000 });
        output.WriteLine($"the field says: {await problem.InnerTextAsync()}");
        await admin.ClickAsync("button[data-apply]");
        await admin.Locator(".rz-notification-item:has-text('Nothing was applied')").WaitForAsync(new() { Timeout = 10_000 });
        await Shoot(admin, "admin-1-invalid-cycle-time");
        using (var response = await http.GetAsync($"api/sites/{Site}/lines/{Assembly}/machines/press-3"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(0, await board.Locator(NewTile).CountAsync());

        // Twenty seconds a part is fine: applied, the open dashboard shows the new tile by itself.
        await admin.FillAsync(Field("idealCycleTimeSeconds"), "20");
        await admin.PressAsync(Field("idealCycleTimeSeconds"), "Tab");
        await problem.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
        await admin.ClickAsync("button[data-apply]");
        await admin.Locator(".rz-notification-item:has-text('Plant model version')").WaitForAsync(new() { Timeout = 10_000 });
        await Shoot(admin, "admin-2-machine-applied");

        var tile = await board.WaitForSelectorAsync(NewTile, TenSeconds);
        Assert.Contains("Stamping Press 3", await tile!.InnerTextAsync());
        Assert.Equal(5, await assemblyTiles.CountAsync());
        await Shoot(board, "admin-3-dashboard-with-new-machine");

        // The new tile is live: the machine's first state turns it green.
        await Seed.PostAsync(http, $"{Assembly}/press-3", "state", new { state = "running" });
        await board.WaitForSelectorAsync($"{NewTile}[data-state=Running].mes-running", TenSeconds);
    }

    private static string Field(string name) => $"input[name=\"{NewMachine}.{name}\"]";

    private async Task Shoot(IPage page, string name) => output.WriteLine(await Screens.ShootAsync(page, name));
}
