using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MesOrleans.EndToEnd.Tests.Infrastructure;
using MesOrleans.Plant;
using MesOrleans.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static MesOrleans.EndToEnd.Tests.Infrastructure.Browser;
using static MesOrleans.EndToEnd.Tests.Infrastructure.FloorPlant;
using static MesOrleans.EndToEnd.Tests.Infrastructure.PlcMessages;

namespace MesOrleans.EndToEnd.Tests;

/// <summary>
/// A day's orders from the ERP to the floor and back, in a real browser: the planner imports a CSV on the schedule page and
/// releases and starts an order; the palletizer's PLC counts over MQTT; a failing first-article inspection holds the
/// parts, a passing one releases them as good; the order reaches its target, is completed and exports exactly.
/// </summary>
public sealed class WorkOrderFlowTests(ITestOutputHelper output)
{
    private const string Packaging = "packaging";
    private const string Palletizer = "palletizer-1";
    private const string Part = "PAL-EU";
    private static readonly string Topic = $"mes/{Site}/{Packaging}/{Palletizer}";

    private static readonly PlantModel Plant = Model with { Products = [new ProductModel(Part, "Euro pallet load", 60), new ProductModel("PAL-US", "US pallet load", 75)] };

    [SkippableFact]
    public async Task A_planner_imports_and_starts_an_order_the_plc_counts_it_a_first_article_gates_it_and_it_completes_exactly()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Plant);
        using var http = app.CreateClient();
        var plan = await http.PutAsJsonAsync($"api/quality/plans/{Part}", new
        {
            characteristics = new object[] { new { name = "height", kind = "measured", nominal = 1000, lower = 990, upper = 1010, unit = "mm", subgroupSize = 1 } },
            firstArticleRequired = true,
        });
        plan.EnsureSuccessStatusCode();
        await using var device = await MqttDevice.ConnectAsync(app.BrokerPort);
        await using var browser = await Browser.LaunchAsync();

        // The planner previews the ERP file, sees what it would do, and applies it.
        var schedule = await browser.OpenAsync(app, $"schedule/{Site}", $"[data-line='{Site}/{Packaging}']");
        var csv = "order,part,quantity,due,line\r\n"
            + $"WO-7001,{Part},20,{DateTime.UtcNow.AddDays(2):yyyy-MM-dd},{Site}/{Packaging}\r\n"
            + $"WO-7002,PAL-US,12,{DateTime.UtcNow.AddDays(3):yyyy-MM-dd},{Site}/{Packaging}\r\n";
        await schedule.SetInputFilesAsync("label[data-action=import] input[type=file]", new FilePayload { Name = "orders.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await schedule.WaitForSelectorAsync("[data-role=import-preview][data-ok=yes] [data-figure=created]:text-is('2')", TenSeconds);
        Assert.Equal(0, await schedule.Locator("tr[data-order=WO-7001]").CountAsync());
        await schedule.ClickAsync("[data-action=apply-import]");
        var row = $"[data-line='{Site}/{Packaging}'] tr[data-order=WO-7001]";
        await schedule.WaitForSelectorAsync($"{row}[data-status=planned]", TenSeconds);
        await Shoot(schedule, "orders-1-schedule-imported");

        await schedule.ClickAsync($"{row} button[data-action=release]");
        await schedule.WaitForSelectorAsync($"{row}[data-status=released]", TenSeconds);
        await schedule.ClickAsync($"{row} button[data-action=start]");
        await schedule.WaitForSelectorAsync($"{row}[data-status=running]", TenSeconds);

        // The operator's station shows the order, and that its parts are held until a first article passes.
        var station = await browser.OpenAsync(app, $"operator/{Site}/{Packaging}/{Palletizer}", "[data-role=active-order]:text-is('WO-7001')");
        await station.WaitForSelectorAsync("[data-role=gate][data-gate=pending]", TenSeconds);
        await station.WaitForSelectorAsync("[data-role=next-order]:has-text('WO-7002')", TenSeconds);

        await device.PublishAsync($"{Topic}/state", State("running"));
        await device.PublishAsync($"{Topic}/count", Count(total: 5_000, scrap: 0));     // the baseline
        await device.PublishAsync($"{Topic}/count", Count(total: 5_004, scrap: 0));
        await station.WaitForSelectorAsync("[data-figure=order-held]:text-is('4 held')", TenSeconds);
        Assert.Equal("0", await station.InnerTextAsync("[data-figure=order-good]"));

        // Quality inspects the first article on the tablet form: out of tolerance, the parts stay held.
        var quality = await browser.OpenAsync(app, $"quality/{Site}", "[data-role=inspection-form] button[data-order=WO-7001]");
        await quality.ClickAsync("[data-role=inspection-form] button[data-order=WO-7001]");
        await quality.ClickAsync("[data-role=kinds] button[data-kind=firstArticle]");
        await quality.FillAsync("[data-characteristic=height] input[data-value-index='0']", "1013");
        await quality.ClickAsync("[data-action=record-inspection]");
        await quality.WaitForSelectorAsync("[data-role=inspection-result][data-passed=no]", TenSeconds);
        await Shoot(quality, "orders-2-quality-first-article-failed");

        await device.PublishAsync($"{Topic}/count", Count(total: 5_010, scrap: 1));
        await station.WaitForSelectorAsync("[data-role=gate][data-gate=failed]", TenSeconds);
        await station.WaitForSelectorAsync("[data-figure=order-held]:text-is('9 held')", TenSeconds);
        Assert.Equal("0", await station.InnerTextAsync("[data-figure=order-good]"));

        // A passing first article releases the held parts as good.
        await quality.FillAsync("[data-characteristic=height] input[data-value-index='0']", "1002");
        await quality.ClickAsync("[data-action=record-inspection]");
        await quality.WaitForSelectorAsync("[data-role=inspection-result][data-passed=yes]", TenSeconds);
        await device.PublishAsync($"{Topic}/count", Count(total: 5_012, scrap: 1));
        await station.WaitForSelectorAsync("[data-figure=order-good]:text-is('11')", TenSeconds);
        Assert.Equal(0, await station.Locator("[data-role=gate]").CountAsync());

        // Both first articles are individuals on the part's SPC chart, the failed one above the passed one.
        await quality.ClickAsync(".rz-tabview-nav li:has-text('SPC')");
        await quality.SelectOptionAsync("[data-field=spc-part]", Part);
        await quality.WaitForSelectorAsync("[data-role=spc-chart][data-chart=imr][data-points='2'] svg", TenSeconds);
        Assert.Equal(["1013", "1002"], await quality.Locator("[data-role=spc-chart] tr[data-point] td:nth-child(3)").AllInnerTextsAsync());
        await Shoot(quality, "orders-3-quality-spc");

        // Counted to its target, the order warns on the station and on the schedule instead of running on silently.
        await device.PublishAsync($"{Topic}/count", Count(total: 5_021, scrap: 1));
        await station.WaitForSelectorAsync("[data-role=target-reached]", TenSeconds);
        await Shoot(station, "orders-4-station-target-reached");
        await schedule.WaitForSelectorAsync($"{row} [data-role=target-reached]", TenSeconds);
        await schedule.ClickAsync($"{row} button[data-action=complete]");
        await schedule.WaitForSelectorAsync("[data-role=completed] tr[data-order=WO-7001][data-status=completed]", TenSeconds);
        await station.WaitForSelectorAsync("[data-role=no-order]", TenSeconds);
        await Shoot(schedule, "orders-5-schedule-completed");

        // After completion the machine's parts are no longer the order's; the export has exactly what it made.
        await device.PublishAsync($"{Topic}/count", Count(total: 5_030, scrap: 1));
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
        var export = (await http.GetStringAsync($"api/work-orders/export?from={from}&to={to}")).Split("\r\n");
        var fields = export.Single(l => l.StartsWith("WO-7001,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(["WO-7001", Part, "20", "20", "1", $"{Site}/{Packaging}"], fields[..6]);
        var order = await http.GetFromJsonAsync<JsonElement>("api/work-orders/WO-7001");
        Assert.Equal((20, 0, 1), (order.GetProperty("good").GetInt64(), order.GetProperty("held").GetInt64(), order.GetProperty("scrap").GetInt64()));
    }

    private async Task Shoot(IPage page, string name) => output.WriteLine(await Screens.ShootAsync(page, name));
}
