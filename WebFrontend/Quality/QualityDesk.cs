using MesOrleans.Errors;
using MesOrleans.Quality;
using MesOrleans.Reports;
using MesOrleans.WebFrontend.WorkOrders;
using MesOrleans.WorkOrders;

namespace MesOrleans.WebFrontend.Quality;

/// <summary>
/// Quality for the REST API and the quality page: inspections (the site comes from the order, else from the request),
/// SPC charts of a part's measured characteristics, and a site's KPIs: first-pass yield and the defect Pareto.
/// </summary>
public sealed class QualityDesk(IGrainFactory grains, WorkOrderDesk orders)
{
    public IPartQualityGrain Part(string partNumber) => grains.GetGrain<IPartQualityGrain>(partNumber);

    public IQualityBoardGrain Board(string site) => grains.GetGrain<IQualityBoardGrain>(site);

    /// <summary>
    /// Where an inspection is made: the site of its order when it names one (which must exist and be of that part), else
    /// the site it names.
    /// </summary>
    public async Task<string> SiteOfAsync(string partNumber, string? orderNumber, string? site)
    {
        if (orderNumber is null)
        {
            return site ?? throw MesCommandException.Invalid("The inspection needs its site.", [new("$.site", "give the site, or the order the parts belong to.")]);
        }

        var (orderSite, entry) = await orders.RequireAsync(orderNumber);
        if (!string.Equals(entry.Plan.PartNumber, partNumber, StringComparison.OrdinalIgnoreCase))
        {
            throw MesCommandException.Invalid("The order makes another part.", [new("$.order", $"work order '{orderNumber}' makes '{entry.Plan.PartNumber}', not '{partNumber}'.")]);
        }

        return site is null || site == orderSite
            ? orderSite
            : throw MesCommandException.Invalid("The order is of another site.", [new("$.site", $"work order '{orderNumber}' is at site '{orderSite}'.")]);
    }

    /// <summary>The SPC chart of a measured characteristic over [from, to), from inspections at the sites given.</summary>
    public async Task<(Characteristic Characteristic, SpcChart Chart)> SpcAsync(string partNumber, string characteristicName, DateTimeOffset from, DateTimeOffset to, Func<string, bool> sees)
    {
        var plan = await Part(partNumber).GetPlanAsync()
            ?? throw MesCommandException.NotFound($"Part '{partNumber}' has no inspection plan.");
        var characteristic = plan.Characteristics.FirstOrDefault(c => string.Equals(c.Name, characteristicName, StringComparison.OrdinalIgnoreCase) && c.Kind == CharacteristicKind.Measured)
            ?? throw MesCommandException.NotFound($"The plan of '{partNumber}' has no measured characteristic '{characteristicName}'.");
        var subgroups = (await Part(partNumber).GetInspectionsAsync(from, to))
            .Where(i => sees(i.Site))
            .SelectMany(i => i.Results.Where(r => r.Characteristic == characteristic.Name && r.Values is not null).Select(r => new Subgroup(i.At, r.Values!)))
            .ToList();
        return (characteristic, ControlChart.Build(subgroups, characteristic.ValuesPerInspection, characteristic.XbarLimits, characteristic.RangeLimits));
    }

    /// <summary>
    /// First-pass yield and the defect Pareto of a site over [from, to): over the orders completed in the window and those
    /// on the floor now, with the non-conformance reports of those orders and those without an order opened in the window.
    /// </summary>
    public async Task<QualityKpis> KpisAsync(string site, DateTimeOffset from, DateTimeOffset to)
    {
        var book = orders.Book(site);
        var entries = (await book.CompletedAsync(from, to))
            .Concat((await book.ListAsync(null, WorkOrderStatus.Running)).Concat(await book.ListAsync(null, WorkOrderStatus.Paused)))
            .ToList();
        var ncrs = await Board(site).GetNcrsAsync(from, to);
        var numbers = entries.Select(e => e.OrderNumber).ToHashSet();
        var perOrder = new List<OrderYield>();
        foreach (var entry in entries)
        {
            var progress = await grains.GetGrain<IWorkOrderGrain>(entry.OrderNumber).GetProgressAsync();
            var mine = ncrs.Where(n => n.OrderNumber == entry.OrderNumber).ToList();
            perOrder.Add(new OrderYield(entry.OrderNumber, entry.Plan.PartNumber, progress.Produced, progress.Scrap,
                FirstPassYield.NotRightFirstTime(mine), FirstPassYield.Calculate(progress.Produced, progress.Scrap, mine)));
        }

        var counted = ncrs.Where(n => n.OrderNumber is { } order ? numbers.Contains(order) : n.OpenedAt >= from && n.OpenedAt < to).ToList();
        var started = perOrder.Sum(o => o.Started);
        var scrap = perOrder.Sum(o => o.Scrap);
        var defects = Pareto.Rank(ncrs.Where(n => n.OpenedAt >= from && n.OpenedAt < to).Select(n => new LossAmount(n.DefectCode, n.DefectCode, "defect", n.Quantity, 1)));
        return new QualityKpis(from, to, started, scrap, FirstPassYield.NotRightFirstTime(counted), FirstPassYield.Calculate(started, scrap, counted),
            started == 0 ? null : (double)(started - scrap) / started, perOrder, defects);
    }

    /// <summary>An inspection kind by name, as the API and CSV files spell it: <c>inProcess</c>, <c>in-process</c>, <c>in_process</c>.</summary>
    public static InspectionKind? KindOf(string? text)
    {
        var key = text?.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return Enum.GetValues<InspectionKind>().Cast<InspectionKind?>().FirstOrDefault(k => string.Equals(k.ToString(), key, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>One order's first-pass yield.</summary>
public sealed record OrderYield(string OrderNumber, string Part, long Started, long Scrap, long NotRightFirstTime, double? FirstPassYield);

/// <summary>
/// A site's quality over a window: parts started and scrapped, those not right the first time though not scrapped,
/// first-pass yield (null when nothing was started), the quality ratio good ÷ made for contrast, per order, and the
/// defects of the reports opened in the window, largest first.
/// </summary>
public sealed record QualityKpis(
    DateTimeOffset From,
    DateTimeOffset To,
    long Started,
    long Scrap,
    long NotRightFirstTime,
    double? FirstPassYield,
    double? QualityRatio,
    IReadOnlyList<OrderYield> Orders,
    IReadOnlyList<ParetoBar> Defects);
