using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.WorkOrders;

namespace MesOrleans.WebFrontend.WorkOrders;

/// <summary>
/// Work orders for the REST API and the pages: finding an order by its number (its site's book holds it), lists with
/// live counts, the import of an ERP file across sites (all or nothing) and the export of completed orders.
/// </summary>
public sealed class WorkOrderDesk(IGrainFactory grains, PlantCatalog catalog)
{
    public IWorkOrderBookGrain Book(string site) => grains.GetGrain<IWorkOrderBookGrain>(site);

    /// <summary>
    /// The site whose book holds the order, or null when there is no such order. An order kept by the first release of
    /// work orders is taken into its site's book on the way.
    /// </summary>
    public static async Task<string?> SiteOfAsync(IGrainFactory grains, string orderNumber)
    {
        if (!EquipmentPath.IsValidSegment(orderNumber))
        {
            return null;
        }

        var known = await grains.GetGrain<IWorkOrderDirectoryGrain>(IWorkOrderDirectoryGrain.Key).SitesOfAsync([orderNumber]);
        if (known.TryGetValue(orderNumber, out var site))
        {
            return site;
        }

        if (await grains.GetGrain<IWorkOrderGrain>(orderNumber).TakeLegacyAsync() is not { } legacy
            || !EquipmentPath.TryParse(legacy.Plan.LineId, out var line))
        {
            return null;
        }

        await grains.GetGrain<IWorkOrderBookGrain>(line.Site).AdoptAsync(legacy);
        return line.Site;
    }

    /// <summary>The order's site and entry; NotFound when there is no such order.</summary>
    public async Task<(string Site, WorkOrderEntry Entry)> RequireAsync(string orderNumber)
    {
        var site = await SiteOfAsync(grains, orderNumber);
        return site is not null && await Book(site).FindAsync(orderNumber) is { } entry
            ? (site, entry)
            : throw MesCommandException.NotFound($"There is no work order '{orderNumber}'.");
    }

    /// <summary>The order as the API shows it, with live counts once it has started.</summary>
    public async Task<WorkOrderResponse> ViewAsync(WorkOrderEntry entry) =>
        WorkOrderResponse.Of(entry, entry.StartedAt is null ? null : await grains.GetGrain<IWorkOrderGrain>(entry.OrderNumber).GetProgressAsync());

    /// <summary>Orders of the sites given, of one line and status when given, with live counts of those on the floor.</summary>
    public async Task<IReadOnlyList<WorkOrderResponse>> ListAsync(IEnumerable<string> sites, string? lineId, WorkOrderStatus? status)
    {
        var views = new List<WorkOrderResponse>();
        foreach (var site in sites)
        {
            foreach (var entry in await Book(site).ListAsync(lineId, status))
            {
                // Orders done keep the counts of their last step; those on the floor are asked.
                views.Add(entry.Status is WorkOrderStatus.Running or WorkOrderStatus.Paused ? await ViewAsync(entry) : WorkOrderResponse.Of(entry, null));
            }
        }

        return views;
    }

    /// <summary>The line's running order with its progress, and the next order of its queue, for the floor's screens.</summary>
    public async Task<LineOrders> LineOrdersAsync(EquipmentPath line)
    {
        var queue = await Book(line.Site).ListAsync(line.ToString(), null);
        var running = queue.FirstOrDefault(e => e.Status == WorkOrderStatus.Running);
        var next = queue.Where(e => e.Status is WorkOrderStatus.Released or WorkOrderStatus.Paused or WorkOrderStatus.Planned && e != running)
            .OrderBy(e => e.Status == WorkOrderStatus.Planned)
            .ThenBy(e => e.Rank)
            .FirstOrDefault();
        return new LineOrders(running, running is null ? null : await grains.GetGrain<IWorkOrderGrain>(running.OrderNumber).GetProgressAsync(), next);
    }

    /// <summary>
    /// Reads an ERP file and plans its rows in their sites' books, all or nothing: every site is tried first without
    /// changing anything, and only a file without problems is applied. Rows for sites the caller may not plan at are
    /// problems too.
    /// </summary>
    public async Task<WorkOrderImportOutcome> ImportAsync(byte[] body, string? charset, bool dryRun, Func<string, bool> mayPlanAt)
    {
        var plant = await catalog.GetCurrentAsync();
        var (rows, errors) = WorkOrderCsv.Read(body, charset, plant);
        var bySite = rows.GroupBy(r => EquipmentPath.Parse(r.Plan.LineId).Site).ToList();
        foreach (var site in bySite.Where(s => !mayPlanAt(s.Key)))
        {
            errors.AddRange(site.Select(r => new WorkOrderRowError(r.Line, "line", $"your roles do not allow planning at site '{site.Key}'.")));
        }

        var tried = new List<WorkOrderImportOutcome>();
        foreach (var site in bySite)
        {
            var outcome = await Book(site.Key).ImportAsync(site.ToList(), dryRun: true);
            errors.AddRange(outcome.Errors);
            tried.Add(outcome);
        }

        if (errors.Count > 0)
        {
            return new WorkOrderImportOutcome(0, 0, 0, errors.OrderBy(e => e.Line).ThenBy(e => e.Column, StringComparer.Ordinal).ToList());
        }

        if (!dryRun)
        {
            tried.Clear();
            foreach (var site in bySite)
            {
                tried.Add(await Book(site.Key).ImportAsync(site.ToList(), dryRun: false));
            }
        }

        return new WorkOrderImportOutcome(tried.Sum(o => o.Created), tried.Sum(o => o.Updated), tried.Sum(o => o.Unchanged), tried.SelectMany(o => o.Errors).ToList());
    }

    /// <summary>Orders of the sites completed in [from, to), as the exchange file with their exact counts.</summary>
    public async Task<string> ExportAsync(IEnumerable<string> sites, DateTimeOffset from, DateTimeOffset to)
    {
        var orders = new List<(WorkOrderEntry, WorkOrderProgress)>();
        foreach (var site in sites)
        {
            foreach (var entry in await Book(site).CompletedAsync(from, to))
            {
                orders.Add((entry, await grains.GetGrain<IWorkOrderGrain>(entry.OrderNumber).GetProgressAsync()));
            }
        }

        return WorkOrderCsv.Write(orders);
    }
}

/// <summary>What a line's screens show of its orders: the one running with its progress, and the next one.</summary>
public sealed record LineOrders(WorkOrderEntry? Running, WorkOrderProgress? Progress, WorkOrderEntry? Next)
{
    public static LineOrders None { get; } = new(null, null, null);

    /// <summary>The running order has made as many good parts as it should: the line must not run on silently.</summary>
    public bool TargetReached => Running is { } order && Progress is { } p && p.Good + p.Held >= order.Plan.Quantity;
}

/// <summary>
/// A work order as the REST API shows it: its plan (<c>product</c> is the part number), status, counts (good, scrap,
/// held by the quality gate), queue rank and the times of its steps.
/// </summary>
public sealed record WorkOrderResponse(
    string OrderNumber,
    string Product,
    long TargetQuantity,
    string LineId,
    WorkOrderStatus Status,
    long Good,
    long Scrap,
    long Held,
    DateTimeOffset? Due,
    string? Lot,
    long Rank,
    FirstArticleGate FirstArticle,
    IReadOnlyDictionary<string, long> ScrapByReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReleasedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ClosedAt)
{
    /// <summary>Parts made: good, held and scrap.</summary>
    public long Produced => Good + Held + Scrap;

    public static WorkOrderResponse Of(WorkOrderEntry e, WorkOrderProgress? progress) => new(
        e.OrderNumber, e.Plan.PartNumber, e.Plan.Quantity, e.Plan.LineId, e.Status,
        progress?.Good ?? e.Good, progress?.Scrap ?? e.Scrap, progress?.Held ?? 0,
        e.Plan.Due, e.Plan.Lot, e.Rank, progress?.Gate ?? FirstArticleGate.NotRequired,
        progress?.ScrapByReason ?? new Dictionary<string, long>(),
        e.CreatedAt, e.ReleasedAt, e.StartedAt, e.CompletedAt, e.ClosedAt);
}
