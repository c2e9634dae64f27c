using MesOrleans.Plant;
using MesOrleans.Quality;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.WorkOrders;
using MesOrleans.WorkOrders;

namespace MesOrleans.WebFrontend.Quality;

/// <summary>
/// The quality page of a site: plans of the plant's products, the inspection form, non-conformance reports and their
/// corrective actions, first-pass yield, the defect Pareto and SPC charts. Every command is checked and audited.
/// </summary>
public sealed class QualityStation(QualityDesk desk, WorkOrderDesk orders, PlantCatalog catalog, CircuitCommands commands)
{
    /// <summary>The site's name and time zone and the plant's products, or null when the plant has no such site.</summary>
    public async Task<(string Name, TimeZoneInfo Zone, IReadOnlyList<ProductModel> Products)?> SiteAsync(string site)
    {
        var plant = await catalog.GetCurrentAsync();
        return plant.Site(site) is { } model ? (model.Name, plant.CalendarOf(site).TimeZone, plant.Model.Products ?? []) : null;
    }

    /// <summary>The sites the signed-in user may inspect at.</summary>
    public async Task<IReadOnlyList<string>> SitesAsync()
    {
        var access = await commands.AccessAsync();
        return (await catalog.GetCurrentAsync()).Model.Sites.Select(s => s.Id).Where(s => access.May(MesPolicies.Quality, s)).ToList();
    }

    /// <summary>The orders on the site's floor now (running or paused), whose parts are inspected.</summary>
    public async Task<IReadOnlyList<WorkOrderEntry>> OrdersOnFloorAsync(string site) =>
        [.. await orders.Book(site).ListAsync(null, WorkOrderStatus.Running), .. await orders.Book(site).ListAsync(null, WorkOrderStatus.Paused)];

    public Task<InspectionPlan?> PlanAsync(string part) => desk.Part(part).GetPlanAsync();

    public Task<InspectionPlan> SavePlanAsync(string site, InspectionPlan plan) =>
        commands.RunAsync(MesPolicies.Quality, site, "quality.plan", plan.PartNumber, $"{plan.Characteristics.Count} characteristic(s)", null, async () =>
            await desk.Part(plan.PartNumber).SetPlanAsync(plan with { UpdatedBy = (await commands.AccessAsync()).Name }));

    public Task<Inspection> InspectAsync(string site, InspectionInput inspection) =>
        commands.RunAsync(MesPolicies.Quality, site, "quality.inspect", inspection.OrderNumber ?? inspection.PartNumber, $"{inspection.Kind} of {inspection.PartNumber}", null,
            async () => await desk.Part(inspection.PartNumber).InspectAsync(inspection with
            {
                Site = await desk.SiteOfAsync(inspection.PartNumber, inspection.OrderNumber, site),
                Inspector = inspection.Inspector ?? (await commands.AccessAsync()).Name,
            }));

    public Task<IReadOnlyList<Inspection>> RecentInspectionsAsync(string site, int count) => desk.Board(site).GetRecentInspectionsAsync(count);

    public Task<IReadOnlyList<Ncr>> NcrsAsync(string site, DateTimeOffset from, DateTimeOffset to) => desk.Board(site).GetNcrsAsync(from, to);

    public Task<Ncr> OpenNcrAsync(string site, NewNcr ncr) =>
        commands.RunAsync(MesPolicies.Quality, site, "quality.ncr", ncr.PartNumber, $"{ncr.Quantity} × {ncr.DefectCode}", null, () => desk.Board(site).OpenNcrAsync(ncr));

    public Task<Ncr> DispositionAsync(string site, int ncr, Disposition disposition, string by) =>
        commands.RunAsync(MesPolicies.Quality, site, "quality.disposition", $"NCR {ncr}", disposition.ToString(), null, () => desk.Board(site).DispositionAsync(ncr, disposition, by));

    public Task<Ncr> CloseNcrAsync(string site, int ncr, string by) =>
        commands.RunAsync(MesPolicies.Quality, site, "quality.close", $"NCR {ncr}", null, null, () => desk.Board(site).CloseNcrAsync(ncr, by));

    public Task<Ncr> AddActionAsync(string site, int ncr, string title, string owner, DateOnly due) =>
        commands.RunAsync(MesPolicies.Quality, site, "quality.action", $"NCR {ncr}", $"{title} ({owner}, {due:yyyy-MM-dd})", null, () => desk.Board(site).AddActionAsync(ncr, title, owner, due));

    public Task<Ncr> SetActionAsync(string site, int ncr, int action, ActionStatus status) =>
        commands.RunAsync(MesPolicies.Quality, site, "quality.action-status", $"NCR {ncr}", $"action {action}: {status}", null, () => desk.Board(site).SetActionStatusAsync(ncr, action, status));

    public Task<QualityKpis> KpisAsync(string site, DateTimeOffset from, DateTimeOffset to) => desk.KpisAsync(site, from, to);

    public async Task<(Characteristic Characteristic, SpcChart Chart)> SpcAsync(string part, string characteristic, DateTimeOffset from, DateTimeOffset to)
    {
        var access = await commands.AccessAsync();
        return await desk.SpcAsync(part, characteristic, from, to, access.Sees);
    }
}
