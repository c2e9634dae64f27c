using MesOrleans.EndToEnd.Tests.Infrastructure;
using MesOrleans.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static MesOrleans.EndToEnd.Tests.Infrastructure.Browser;
using static MesOrleans.EndToEnd.Tests.Infrastructure.FloorPlant;
using static MesOrleans.EndToEnd.Tests.Infrastructure.PlcMessages;

namespace MesOrleans.EndToEnd.Tests;

/// <summary>What a machine publishes over MQTT shows on the operator's station by itself, without a click.</summary>
public sealed class TelemetryOnScreenTests(ITestOutputHelper output)
{
    private static readonly string Topic = $"mes/{PressId}";

    [SkippableFact]
    public async Task A_machine_that_stops_by_itself_shows_down_with_its_reason_asks_for_an_unknown_code_and_its_counts_reach_the_page()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Model);
        await using var device = await MqttDevice.ConnectAsync(app.BrokerPort);
        await using var browser = await Browser.LaunchAsync();
        var station = await browser.OpenAsync(app, $"operator/{PressId}", ".mes-station[data-live=on]");

        // The PLC reports an electrical fault: the station shows it, says the machine reported it, and asks nothing.
        await device.PublishAsync($"{Topic}/state", State("down", "E21"));
        await station.WaitForSelectorAsync(".mes-station[data-state=Down] .mes-state-reason:has-text('Electrical fault')", TenSeconds);
        await station.WaitForSelectorAsync(".mes-state-since:has-text('reported by the machine')", TenSeconds);
        Assert.Equal(0, await station.Locator("[data-role=ask-reason]").CountAsync());
        await Shoot(station, "telemetry-1-operator-down-from-plc");

        // It runs again, then stops with a code the catalog does not know: the stop is unassigned and the station asks why.
        await device.PublishAsync($"{Topic}/state", State("running"));
        await station.WaitForSelectorAsync(".mes-station[data-state=Running]", TenSeconds);
        await device.PublishAsync($"{Topic}/state", State("down", "PLC-0815"));
        await station.WaitForSelectorAsync(".mes-station[data-state=Down] [data-role=ask-reason]", TenSeconds);
        await station.WaitForSelectorAsync(".mes-station-state .mes-picker button[data-code=E40]", TenSeconds);
        Assert.Equal(0, await station.Locator(".mes-state-reason").CountAsync());
        await Shoot(station, "telemetry-2-operator-asks-reason-for-unknown-code");

        // Running again, the PLC's cumulative counters: the first is the baseline, the next adds its difference.
        await device.PublishAsync($"{Topic}/state", State("running"));
        await station.WaitForSelectorAsync(".mes-station[data-state=Running]", TenSeconds);
        await device.PublishAsync($"{Topic}/count", Count(total: 48_210, scrap: 31));
        Assert.Equal("0", await station.InnerTextAsync("[data-figure=good]"));
        await device.PublishAsync($"{Topic}/count", Count(total: 48_227, scrap: 31));
        await station.WaitForSelectorAsync("[data-figure=good]:text-is('17')", TenSeconds);
        await device.PublishAsync($"{Topic}/count", Count(total: 48_239, scrap: 33));
        await station.WaitForSelectorAsync("[data-figure=good]:text-is('27')", TenSeconds);
        await station.WaitForSelectorAsync("[data-figure=scrap]:text-is('2')", TenSeconds);
        await Shoot(station, "telemetry-3-operator-counts-from-plc");
    }

    private async Task Shoot(IPage page, string name) => output.WriteLine(await Screens.ShootAsync(page, name));
}
