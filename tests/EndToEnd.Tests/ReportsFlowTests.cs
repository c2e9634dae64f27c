using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MesOrleans.EndToEnd.Tests.Infrastructure;
using MesOrleans.Testing;
using Microsoft.Playwright;
using static MesOrleans.EndToEnd.Tests.Infrastructure.Browser;
using static MesOrleans.EndToEnd.Tests.Infrastructure.FloorPlant;

namespace MesOrleans.EndToEnd.Tests;

/// <summary>A supervisor reads the morning on the reports page, in a real browser: the same losses as the board, exports, print.</summary>
public sealed class ReportsFlowTests
{
    [SkippableFact]
    public async Task The_reports_page_shows_the_boards_losses_and_the_apis_figures_exports_tables_and_prints_on_a4_landscape()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Model);
        using var http = app.CreateClient();
        await Seed.MorningAsync(http);

        await using var browser = await Browser.LaunchAsync();
        var board = await browser.OpenAsync(app, $"dashboard/{Site}", ".mes-board[data-live=on]", WallTv);
        await board.WaitForSelectorAsync("[data-pareto=downtime] li[data-code=E12]", TenSeconds);
        var boardCodes = await board.Locator("[data-pareto=downtime] li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.code)");

        // This month holds the whole morning, which lies in the board's shift: the same reasons in the same order.
        var reports = await browser.OpenAsync(app, $"reports/{Site}", "[data-report=summary]", WallTv);
        await reports.ClickAsync(".mes-report-filters >> text=This month");
        await reports.WaitForSelectorAsync("[data-report=downtime-pareto] tbody tr", TenSeconds);
        var reportCodes = await reports.Locator("[data-report=downtime-pareto] tbody tr td:first-child").AllInnerTextsAsync();
        Assert.Equal(boardCodes, reportCodes);

        // The morning's good parts, as the live site figure counts them in the shift.
        var site = await http.GetFromJsonAsync<JsonElement>($"api/sites/{Site}");
        var good = site.GetProperty("shiftOee").GetProperty("goodCount").GetInt64();
        Assert.Equal(good.ToString(System.Globalization.CultureInfo.InvariantCulture), Digits(await reports.InnerTextAsync("[data-figure=good]")));
        await Screens.ShootAsync(reports, "reports-1-this-month");

        // Every chart's table goes out as CSV with a header row.
        var download = await reports.RunAndWaitForDownloadAsync(() => reports.ClickAsync("[data-report=oee] button[data-export=csv]"));
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.StartsWith("period,from,to,availability,performance,quality,oee,", csv);
        Assert.Contains("\r\ntotal,", csv);
        var sheet = await reports.RunAndWaitForDownloadAsync(() => reports.ClickAsync("[data-report=six-big-losses] button[data-export=xlsx]"));
        Assert.EndsWith(".xlsx", sheet.SuggestedFilename);

        // Print: the page's own A4 landscape, without the navigation.
        await reports.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await reports.IsVisibleAsync(".rz-sidebar"));
        var pdf = Encoding.Latin1.GetString(await reports.PdfAsync(new() { PreferCSSPageSize = true, PrintBackground = true }));
        var pages = System.Text.RegularExpressions.Regex.Matches(pdf, @"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]");
        Assert.NotEmpty(pages);
        Assert.All(pages, box => Assert.True(
            Math.Abs(double.Parse(box.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 841.9) < 1
            && Math.Abs(double.Parse(box.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) - 595.3) < 1,
            $"page {box.Value}, not A4 landscape"));
    }

    private static string Digits(string text) => new(text.Where(char.IsAsciiDigit).ToArray());
}
