using MesOrleans.Plant;
using MesOrleans.WebFrontend.Live;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WorkOrders;

namespace MesOrleans.WebFrontend.WorkOrders;

/// <summary>
/// The planner's page of a site: each line's queue and timeline, the steps of an order, dispatch, reordering, and the
/// ERP import (preview, then apply) and export. Every step is checked and audited (<see cref="CircuitCommands"/>).
/// </summary>
public sealed class ScheduleBoard(WorkOrderDesk desk, PlantCatalog catalog, CircuitCommands commands, LiveSiteFeed live)
{
    /// <summary>The site's name and time zone, or null when the plant has no such site.</summary>
    public async Task<(string Name, TimeZoneInfo Zone)?> SiteAsync(string site)
    {
        var plant = await catalog.GetCurrentAsync();
        return plant.Site(site) is { } model ? (model.Name, plant.CalendarOf(site).TimeZone) : null;
    }

    public Task<SiteSchedule> ScheduleAsync(string site) => desk.Book(site).GetScheduleAsync();

    /// <summary>The orders of the site completed in [from, to).</summary>
    public Task<IReadOnlyList<WorkOrderEntry>> CompletedAsync(string site, DateTimeOffset from, DateTimeOffset to) => desk.Book(site).CompletedAsync(from, to);

    /// <summary>Calls <paramref name="onChange"/> whenever the site's orders change.</summary>
    public Task<IDisposable> WatchAsync(string site, Func<Task> onChange) => live.SubscribeOrdersAsync(site, _ => onChange());

    /// <summary>The sites the signed-in user may plan at.</summary>
    public async Task<IReadOnlyList<string>> SitesAsync()
    {
        var access = await commands.AccessAsync();
        return (await catalog.GetCurrentAsync()).Model.Sites.Select(s => s.Id).Where(s => access.May(MesPolicies.Plan, s)).ToList();
    }

    public Task<WorkOrderEntry> StepAsync(string site, string orderNumber, ScheduleStep step) =>
        commands.RunAsync(MesPolicies.Plan, site, $"workorder.{step.ToString().ToLowerInvariant()}", orderNumber, null, null, () => step switch
        {
            ScheduleStep.Release => desk.Book(site).ReleaseAsync(orderNumber),
            ScheduleStep.Start => desk.Book(site).StartAsync(orderNumber),
            ScheduleStep.Pause => desk.Book(site).PauseAsync(orderNumber),
            ScheduleStep.Resume => desk.Book(site).ResumeAsync(orderNumber),
            ScheduleStep.Complete => desk.Book(site).CompleteAsync(orderNumber),
            _ => desk.Book(site).CloseAsync(orderNumber),
        });

    public Task<WorkOrderEntry> DispatchAsync(string site, string lineId) =>
        commands.RunAsync(MesPolicies.Plan, site, "workorder.dispatch", lineId, null, null, () => desk.Book(site).DispatchAsync(lineId));

    public Task<IReadOnlyList<WorkOrderEntry>> MoveAsync(string site, string orderNumber, int position) =>
        commands.RunAsync(MesPolicies.Plan, site, "workorder.move", orderNumber, $"to position {position}", null, () => desk.Book(site).MoveAsync(orderNumber, position));

    /// <summary>What importing the file would do, or its problems; nothing changes.</summary>
    public async Task<WorkOrderImportOutcome> PreviewAsync(byte[] file)
    {
        var access = await commands.AccessAsync();
        return await desk.ImportAsync(file, charset: null, dryRun: true, site => access.May(MesPolicies.Plan, site));
    }

    /// <summary>Imports the file, all or nothing.</summary>
    public async Task<WorkOrderImportOutcome> ImportAsync(string site, string fileName, byte[] file)
    {
        var access = await commands.AccessAsync();
        return await commands.RunAsync(MesPolicies.Plan, site, "workorder.import", fileName, $"{file.Length} bytes", null,
            () => desk.ImportAsync(file, charset: null, dryRun: false, s => access.May(MesPolicies.Plan, s)));
    }
}

/// <summary>A step of a work order's life the planner takes on the page.</summary>
public enum ScheduleStep
{
    Release,
    Start,
    Pause,
    Resume,
    Complete,
    Close,
}
