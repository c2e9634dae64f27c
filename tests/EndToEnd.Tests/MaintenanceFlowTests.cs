using MesOrleans.EndToEnd.Tests.Infrastructure;
using MesOrleans.Plant;
using MesOrleans.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static MesOrleans.EndToEnd.Tests.Infrastructure.Browser;
using static MesOrleans.EndToEnd.Tests.Infrastructure.FloorPlant;

namespace MesOrleans.EndToEnd.Tests;

/// <summary>A breakdown travels from the operator's station to maintenance and back, in a real browser.</summary>
public sealed class MaintenanceFlowTests(ITestOutputHelper output)
{
    private static readonly string PressTile = $".mes-tile[data-machine=\"{PressId}\"]";
    private static readonly string PressTicket = $"article.mes-ticket[data-machine=\"{PressId}\"]";

    /// <summary>The floor plant with press 1's micro-stop threshold at one second: a breakdown calls maintenance at once.</summary>
    private static PlantModel QuickToCallMaintenance() => Model with
    {
        Sites = Model.Sites.Select(site => site with
        {
            Lines = site.Lines.Select(line => line with
            {
                Machines = line.Machines.Select(m => m.Id == Press ? m with { MicroStopThresholdSeconds = 1 } : m).ToList(),
            }).ToList(),
        }).ToList(),
    };

    [SkippableFact]
    public async Task A_breakdown_opens_a_ticket_that_maintenance_resolves_and_the_stop_ends_only_when_the_operator_brings_the_machine_back()
    {
        Chromium.Require();
        await using var app = MesApp.StartWith(QuickToCallMaintenance());
        using var http = app.CreateClient();
        var pressMachine = $"{Assembly}/{Press}";

        // The press has run since the shift started: its availability is whole until it breaks down.
        await Seed.PostAsync(http, pressMachine, "state", new { state = "running", at = MachineApi.ShiftStart() });
        var availabilityBefore = await MachineApi.ShiftAvailabilityAsync(http, pressMachine);
        Assert.True(availabilityBefore > 0.999, $"availability before the breakdown: {availabilityBefore}");

        await using var browser = await Browser.LaunchAsync();
        var board = await browser.OpenAsync(app, $"dashboard/{Site}", ".mes-board[data-live=on]", WallTv);
        var station = await browser.OpenAsync(app, $"operator/{PressId}", ".mes-station[data-live=on]");
        var desk = await browser.OpenAsync(app, $"maintenance/{Site}", "[data-queue=empty]");
        await board.WaitForSelectorAsync($"{PressTile}[data-state=Running].mes-running");

        // The operator stops the press for a hydraulic fault, a breakdown.
        await station.ClickAsync(".mes-station-state button[data-action=down]");
        await station.ClickAsync(".mes-overlay button[data-code=E12]");
        await station.WaitForSelectorAsync(".mes-station[data-state=Down] .mes-state-reason:has-text('Hydraulic fault')", TenSeconds);
        await board.WaitForSelectorAsync($"{PressTile}[data-state=Down].mes-down .mes-tile-reason:has-text('Hydraulic fault')", TenSeconds);
        await Shoot(board, "flow-1-dashboard-press-down");

        // The machine reports the breakdown on its 5-second watch once the stop outlasts the threshold.
        var ticket = desk.Locator(PressTicket);
        await desk.WaitForSelectorAsync($"{PressTicket}[data-status=Open]", TenSeconds);
        Assert.Contains("Stamping Press 1", await ticket.InnerTextAsync());
        Assert.Contains("E12", await ticket.InnerTextAsync());
        Assert.True(await ticket.Locator("button[data-step=Acknowledge]").IsDisabledAsync(), "a step without a name is refused");
        await Shoot(desk, "flow-2-maintenance-ticket-open");

        await desk.FillAsync("input[data-crew-name]", "Jonas Weber");
        await ticket.Locator("button[data-step=Acknowledge]:enabled").ClickAsync();
        await desk.WaitForSelectorAsync($"{PressTicket}[data-status=Acknowledged]", TenSeconds);
        await ticket.Locator("button[data-step=Start]").ClickAsync();
        await desk.WaitForSelectorAsync($"{PressTicket}[data-status=InProgress]", TenSeconds);

        // Resolving needs the root cause and the action: an empty form is refused and the dialog stays.
        await ticket.Locator("button[data-step=Resolve]").ClickAsync();
        var dialog = desk.Locator(".rz-dialog");
        await dialog.Locator("button[data-submit=resolve]").ClickAsync();
        await dialog.GetByText("The root cause is required").WaitForAsync(new() { Timeout = 10_000 });
        await dialog.GetByText("The action is required").WaitForAsync(new() { Timeout = 10_000 });
        Assert.Equal("InProgress", await ticket.GetAttributeAsync("data-status"));
        await dialog.Locator("textarea[name=RootCause]").FillAsync("Worn seal on the main cylinder leaked oil.");
        await dialog.Locator("textarea[name=Action]").FillAsync("Replaced the seal, topped up the oil, pressure test passed.");
        await dialog.Locator("textarea[name=Action]").BlurAsync();
        await dialog.GetByText("The action is required").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
        await Shoot(desk, "flow-3-maintenance-resolve-dialog");
        await dialog.Locator("button[data-submit=resolve]").ClickAsync();
        await desk.WaitForSelectorAsync($"{PressTicket}[data-status=Resolved]", TenSeconds);
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
        Assert.Contains("Worn seal on the main cylinder", await ticket.InnerTextAsync());
        Assert.Contains("Jonas Weber", await ticket.InnerTextAsync());

        // The KPIs follow the tickets without a reload: the resolved breakdown is in them.
        await desk.Locator(".mes-kpis .rz-cell-data", new() { HasText = "Stamping Press 1" }).WaitForAsync(new() { Timeout = 10_000 });
        await Shoot(desk, "flow-4-maintenance-ticket-resolved");

        // Resolving a ticket does not end the stop: the press is still down everywhere.
        Assert.Equal("Down", await station.Locator(".mes-station").GetAttributeAsync("data-state"));
        Assert.Equal("Down", await board.Locator(PressTile).GetAttributeAsync("data-state"));
        Assert.Equal("down", (await MachineApi.StatusAsync(http, pressMachine)).GetProperty("state").GetString());
        await Shoot(station, "flow-5-operator-still-down-after-resolve");

        // The operator brings it back: the tile turns green, the Pareto lists the breakdown, availability is lost.
        await station.ClickAsync(".mes-station-state button[data-action=up]");
        await station.WaitForSelectorAsync(".mes-station[data-state=Running]", TenSeconds);
        await board.WaitForSelectorAsync($"{PressTile}[data-state=Running].mes-running", TenSeconds);
        var reason = await board.WaitForSelectorAsync("[data-pareto=downtime] li[data-code=E12]", TenSeconds);
        Assert.Contains("Hydraulic fault", await reason!.InnerTextAsync());
        var availabilityAfter = await MachineApi.ShiftAvailabilityAsync(http, pressMachine);
        Assert.True(availabilityAfter < 1 && availabilityAfter < availabilityBefore, $"availability after the breakdown: {availabilityAfter}");
        output.WriteLine($"availability before {availabilityBefore:P3}, after {availabilityAfter:P3}");
        await Shoot(board, "flow-6-dashboard-press-back");
        await Shoot(station, "flow-7-operator-press-back");
    }

    private async Task Shoot(IPage page, string name) => output.WriteLine(await Screens.ShootAsync(page, name));
}
