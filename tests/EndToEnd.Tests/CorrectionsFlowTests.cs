using MesOrleans.EndToEnd.Tests.Infrastructure;
using MesOrleans.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static MesOrleans.EndToEnd.Tests.Infrastructure.Browser;
using static MesOrleans.EndToEnd.Tests.Infrastructure.FloorPlant;

namespace MesOrleans.EndToEnd.Tests;

/// <summary>A supervisor corrects a machine's record on screen: re-code, split and void, each signed and explained.</summary>
public sealed class CorrectionsFlowTests(ITestOutputHelper output)
{
    private const string Machine = "assembly/press-2";
    private const string Supervisor = "Maria Keller";

    [SkippableFact]
    public async Task A_supervisor_recodes_splits_and_voids_and_sees_who_did_it_and_why()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Model);
        using var http = app.CreateClient();
        var now = DateTimeOffset.UtcNow;
        var stopStart = now.AddMinutes(-100);
        await Seed.PostAsync(http, Machine, "state", new { state = "running", at = now.AddMinutes(-115) });
        await Seed.StopAsync(http, Machine, "E40", stopStart, now.AddMinutes(-88));
        await Seed.PostAsync(http, Machine, "scrap", new { quantity = 4, reasonCode = "S02", @operator = "4711", at = now.AddMinutes(-40) });

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.OpenAsync(app, $"dashboard/{Site}/corrections?machine={Site}/{Machine}", ".mes-corrections[data-ready=yes]", WallTv);
        var stop = page.Locator("li[data-stop]");
        Assert.Contains("Material jam", await stop.Locator("[data-role=reasons]").InnerTextAsync());

        // Without a name the correction cannot be saved, and the page says so.
        await stop.Locator("button[data-action=recode]").ClickAsync();
        var editor = stop.Locator("[data-editor=Recode]");
        Assert.True(await editor.Locator("button[data-action=save]").IsDisabledAsync());
        Assert.Contains("Enter your name", await editor.Locator("[data-role=why-disabled]").InnerTextAsync());

        await page.FillAsync("input[data-corrector]", Supervisor);
        await PickAsync(page, editor, "Product changeover");
        await editor.Locator("input[data-why]").FillAsync("the die was being changed, not jammed");
        await editor.Locator("button[data-action=save]:enabled").ClickAsync();
        await page.WaitForSelectorAsync("li[data-stop] [data-role=reasons]:has-text('Product changeover')", TenSeconds);

        // The last part of the stop was a quality check.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var splitAt = TimeZoneInfo.ConvertTime(stopStart.AddMinutes(6), berlin).ToString("HH:mm:ss");
        await stop.Locator("button[data-action=split]").ClickAsync();
        var split = stop.Locator("[data-editor=Split]");
        await split.Locator("input[data-split-at]").FillAsync(splitAt);
        await PickAsync(page, split, "Quality check");
        await split.Locator("input[data-why]").FillAsync("QC held the press after the change");
        await split.Locator("button[data-action=save]:enabled").ClickAsync();
        await page.WaitForSelectorAsync($"li[data-stop] [data-role=reasons]:has-text('from {splitAt} Quality check')", TenSeconds);

        var entry = page.Locator("li[data-entry]");
        await entry.Locator("button[data-action=void]").ClickAsync();
        await entry.Locator("input[data-why]").FillAsync("the parts were reworked and passed");
        await entry.Locator("button[data-action=save]:enabled").ClickAsync();
        await page.WaitForSelectorAsync("li[data-entry][data-voided=yes]", TenSeconds);

        var corrections = await page.Locator("[data-role=corrections] li").AllInnerTextsAsync();
        Assert.Equal(3, corrections.Count);
        Assert.All(corrections, c => Assert.Contains($"by {Supervisor}", c));
        Assert.Contains(corrections, c => c.Contains("re-coded to Product changeover") && c.Contains("the die was being changed"));
        Assert.Contains(corrections, c => c.Contains($"split at {splitAt}") && c.Contains("QC held the press"));
        Assert.Contains(corrections, c => c.Contains("voided") && c.Contains("reworked and passed"));
        output.WriteLine(await Screens.ShootAsync(page, "corrections-1-recoded-split-voided"));

        // The machine's figures follow: the voided scrap no longer counts.
        var status = await MachineApi.StatusAsync(http, Machine);
        Assert.Equal(0, status.GetProperty("shiftOee").GetProperty("scrapCount").GetInt64());
    }

    private static async Task PickAsync(IPage page, ILocator editor, string reason)
    {
        await editor.Locator(".rz-dropdown").ClickAsync();
        await page.Locator($".rz-dropdown-panel li:has-text('{reason}')").First.ClickAsync();
    }
}
