using MesOrleans.EndToEnd.Tests.Infrastructure;
using MesOrleans.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static MesOrleans.EndToEnd.Tests.Infrastructure.FloorPlant;

namespace MesOrleans.EndToEnd.Tests;

/// <summary>The operator's station and the supervisor's board in a real browser, against the whole running MES.</summary>
public sealed class ShopFloorTests(ITestOutputHelper output)
{
    private static readonly string PressTile = $".mes-tile[data-machine=\"{PressId}\"]";
    private static readonly PageWaitForSelectorOptions FiveSeconds = new() { Timeout = 5000 };
    private static readonly BrowserNewPageOptions Tablet = new() { ViewportSize = new() { Width = 1280, Height = 800 } };
    private static readonly BrowserNewPageOptions WallTv = new() { ViewportSize = new() { Width = 1920, Height = 1080 } };

    [SkippableFact]
    public async Task An_operators_stop_turns_the_tile_red_on_the_board_and_green_again_and_the_pareto_lists_its_reason()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Model);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (station, board) = await OpenStationAndBoardAsync(app, browser);

        await station.ClickAsync(".mes-station-state button[data-action=down]");
        await station.ClickAsync(".mes-overlay button[data-code=E12]");

        await board.WaitForSelectorAsync($"{PressTile}[data-state=Down].mes-down", FiveSeconds);
        await station.WaitForSelectorAsync(".mes-station[data-state=Down] .mes-stop-timer", FiveSeconds);

        await station.ClickAsync(".mes-station-state button[data-action=up]");

        await board.WaitForSelectorAsync($"{PressTile}[data-state=Running].mes-running", FiveSeconds);
        var reason = await board.WaitForSelectorAsync("[data-pareto=downtime] li[data-code=E12]", FiveSeconds);
        Assert.Contains("Hydraulic fault", await reason!.InnerTextAsync());
    }

    [SkippableFact]
    public async Task A_stop_without_a_reason_asks_the_operator_and_scrap_and_counts_reach_the_board()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Model);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (station, board) = await OpenStationAndBoardAsync(app, browser);

        // The machine stops by itself: the station asks why, the board marks the tile.
        using var http = app.CreateClient();
        await Seed.PostAsync(http, $"{Assembly}/{Press}", "state", new { state = "down" });
        await station.WaitForSelectorAsync("[data-role=ask-reason]", FiveSeconds);
        await board.WaitForSelectorAsync($"{PressTile}.mes-tile-ask", FiveSeconds);
        await station.ClickAsync(".mes-station-state .mes-picker button[data-code=E40]");
        await station.WaitForSelectorAsync(".mes-state-reason:has-text('Material jam')", FiveSeconds);
        await board.WaitForSelectorAsync($"{PressTile}:not(.mes-tile-ask) .mes-tile-reason:has-text('Material jam')", FiveSeconds);
        await station.ClickAsync(".mes-station-state button[data-action=up]");

        // Three scrapped with a burr, then ten good parts; the last entry is taken back.
        await station.ClickAsync(".mes-station-scrap button[data-step='1']");
        await station.ClickAsync(".mes-station-scrap button[data-step='1']");
        await station.ClickAsync(".mes-station-scrap button[data-scrap=S01]");
        await station.ClickAsync(".mes-station-scrap button[data-action=scrap]");
        await station.WaitForSelectorAsync("[data-figure=scrap]:text-is('3')", FiveSeconds);
        await board.WaitForSelectorAsync("[data-pareto=scrap] li[data-code=S01]", FiveSeconds);

        await station.ClickAsync(".mes-station-good button[data-step='10']");
        await station.ClickAsync(".mes-station-good button[data-action=good]");
        await station.WaitForSelectorAsync("[data-figure=good]:text-is('11')", FiveSeconds);
        await station.ClickAsync("button[data-action=void]");
        await station.ClickAsync("button[data-action=void-confirm]");
        await station.WaitForSelectorAsync("[data-figure=good]:text-is('0')", FiveSeconds);
        Assert.Equal(1, await station.Locator(".mes-event-voided").CountAsync());
    }

    [SkippableFact]
    public async Task Every_page_is_photographed_for_a_person_to_look_at()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Model);
        using var http = app.CreateClient();
        await Seed.MorningAsync(http);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(Tablet);
        var shots = new List<string>();

        await Screens.OpenAsync(page, app.BaseAddress, "", ".mes-site");
        shots.Add(await Screens.ShootAsync(page, "home"));
        await Screens.OpenAsync(page, app.BaseAddress, "operator", ".mes-machine-choice");
        shots.Add(await Screens.ShootAsync(page, "operator-choose-machine"));

        // Signed in with a password, the admin is the operator of this session (a bound station asks: SecurityFlowTests).
        await Screens.OpenAsync(page, app.BaseAddress, $"operator/{PressId}", ".mes-station[data-live=on]");
        await page.WaitForSelectorAsync($"button[data-action=sign-in]:has-text('{MesApp.AdminUserName}')");
        shots.Add(await Screens.ShootAsync(page, "operator-running"));
        await page.ClickAsync(".mes-station-state button[data-action=down]");
        shots.Add(await Screens.ShootAsync(page, "operator-reason-picker"));
        await page.ClickAsync(".mes-overlay button[data-code=E21]");
        await page.WaitForSelectorAsync(".mes-station[data-state=Down] .mes-stop-timer");
        await page.WaitForTimeoutAsync(2500); // the timer visibly ticks
        shots.Add(await Screens.ShootAsync(page, "operator-down"));

        await Screens.OpenAsync(page, app.BaseAddress, $"operator/{Site}/packaging/palletizer-1", "[data-role=ask-reason]");
        shots.Add(await Screens.ShootAsync(page, "operator-asks-reason"));

        var board = await browser.NewPageAsync(WallTv);
        await Screens.OpenAsync(board, app.BaseAddress, $"dashboard/{Site}", "[data-pareto=downtime] li");
        await board.WaitForTimeoutAsync(1000); // charts measure themselves once in the browser
        shots.Add(await Screens.ShootAsync(board, "dashboard"));
        await board.ClickAsync("button[data-action=handover]");
        await board.WaitForSelectorAsync(".mes-handover-form");
        await board.FillAsync(".mes-handover-form input[name=author]", "Maria Schulz");
        await board.FillAsync(".mes-handover-form textarea[name=note]", "Press 1 lost pressure twice (E21) - maintenance checks the pump at 14:30.\nFiller 1 waits for caps from 15:00.");
        await board.Locator(".mes-handover-form textarea[name=note]").BlurAsync();
        shots.Add(await Screens.ShootAsync(board, "dashboard-handover"));
        await board.ClickAsync("button[data-action=hand-over]");
        await board.WaitForSelectorAsync("[data-role=handover-note]:has-text('maintenance checks the pump')");

        // One site: /dashboard goes straight to its board, and ?tv=1 hides the navigation.
        await Screens.OpenAsync(board, app.BaseAddress, "dashboard?tv=1", "[data-pareto=downtime] li");
        Assert.EndsWith($"/dashboard/{Site}?tv=1", board.Url);
        await board.WaitForTimeoutAsync(1000);
        Assert.False(await board.Locator(".rz-sidebar").IsVisibleAsync());
        shots.Add(await Screens.ShootAsync(board, "dashboard-tv", wholePage: false));

        // A wall TV at 1080p shows both Paretos without scrolling, the handover note above them included.
        foreach (var pareto in new[] { "downtime", "scrap" })
        {
            var chart = await board.Locator($"[data-pareto={pareto}] svg").First.BoundingBoxAsync();
            Assert.True(chart is not null && chart.Y + chart.Height <= WallTv.ViewportSize!.Height, $"the {pareto} Pareto ends at {chart?.Y + chart?.Height} px");
        }

        // The losses of the whole local day hold the morning's stops too.
        await board.ClickAsync(".mes-board-losses .rz-selectbar >> text=A day");
        await board.WaitForSelectorAsync(".mes-board-losses h2:has-text('Losses · ')");
        await board.WaitForSelectorAsync("[data-pareto=downtime] li[data-code=E12]");

        foreach (var shot in shots)
        {
            output.WriteLine(shot);
        }
    }

    /// <summary>The press's operator station on a tablet and the site's dashboard on a wall TV, both live.</summary>
    private static async Task<(IPage Station, IPage Board)> OpenStationAndBoardAsync(MesApp app, IBrowser browser)
    {
        var station = await browser.NewPageAsync(Tablet);
        var board = await browser.NewPageAsync(WallTv);
        await Screens.OpenAsync(board, app.BaseAddress, $"dashboard/{Site}", ".mes-board[data-live=on]");
        await Screens.OpenAsync(station, app.BaseAddress, $"operator/{PressId}", ".mes-station[data-live=on]");
        return (station, board);
    }
}
