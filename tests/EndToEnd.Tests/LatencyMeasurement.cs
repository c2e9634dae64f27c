using System.Globalization;
using MesOrleans.EndToEnd.Tests.Infrastructure;
using MesOrleans.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static MesOrleans.EndToEnd.Tests.Infrastructure.FloorPlant;

namespace MesOrleans.EndToEnd.Tests;

/// <summary>
/// Measures, and does not assert, how long an operator's stop takes to reach another screen: from the click on the
/// reason to the board's tile turning red. The only assertion is the five seconds any test waits.
/// </summary>
public sealed class LatencyMeasurement(ITestOutputHelper output)
{
    private const int Repetitions = 10;

    [SkippableFact]
    public async Task Event_to_screen_latency_from_the_operators_click_to_the_red_tile()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(Model);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var station = await browser.NewPageAsync();
        var board = await browser.NewPageAsync();
        await Screens.OpenAsync(board, app.BaseAddress, $"dashboard/{Site}", ".mes-board[data-live=on]");
        await Screens.OpenAsync(station, app.BaseAddress, $"operator/{PressId}", ".mes-station[data-live=on]");

        // The board notes the wall-clock time the tile turns red; both pages run on this machine's clock.
        await board.EvaluateAsync(
            @"id => {
                window.__red = null;
                const check = () => {
                    const tile = document.querySelector(`.mes-tile[data-machine=""${id}""]`);
                    if (window.__red === null && tile && tile.dataset.state === 'Down') { window.__red = Date.now(); }
                };
                new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
            }",
            PressId);

        var latencies = new List<double>();
        for (var i = 0; i < Repetitions; i++)
        {
            await board.EvaluateAsync("() => { window.__red = null; }");
            await station.ClickAsync(".mes-station-state button[data-action=down]");
            await station.WaitForSelectorAsync(".mes-overlay button[data-code=E12]");
            var clickedAt = await station.EvaluateAsync<double>(
                "() => { const t = Date.now(); document.querySelector('.mes-overlay button[data-code=E12]').click(); return t; }");
            await board.WaitForFunctionAsync("() => window.__red !== null", null, new() { Timeout = 5000 });
            latencies.Add(await board.EvaluateAsync<double>("() => window.__red") - clickedAt);

            await station.ClickAsync(".mes-station[data-state=Down] button[data-action=up]");
            await board.WaitForSelectorAsync($".mes-tile[data-machine=\"{PressId}\"][data-state=Running]", new() { Timeout = 5000 });
        }

        latencies.Sort();
        var median = (latencies[(Repetitions - 1) / 2] + latencies[Repetitions / 2]) / 2;
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"click → red tile over {Repetitions} stops: median {median:0} ms, max {latencies[^1]:0} ms, all [{string.Join(", ", latencies.Select(l => l.ToString("0", CultureInfo.InvariantCulture)))}] ms");
        output.WriteLine(report);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults"));
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestResults", "latency.txt"), report + Environment.NewLine);
    }
}
