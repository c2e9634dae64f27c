using MesOrleans.Errors;
using MesOrleans.Plant;

namespace MesOrleans.WorkOrders;

/// <summary>
/// What makes a work order's plan valid, the same for one order given through the API and for a row of an import:
/// each problem names its column (<c>order</c>, <c>part</c>, <c>quantity</c>, <c>due</c>, <c>line</c>, <c>lot</c>).
/// </summary>
public static class WorkOrderPlanRules
{
    /// <summary>The largest quantity an order may have.</summary>
    public const long MaxQuantity = 10_000_000;

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The problems of <paramref name="plan"/> as (column, message); empty when it is valid for a line of <paramref name="site"/>.</summary>
    public static List<(string Column, string Message)> Check(WorkOrderPlan plan, PlantView plant, string site)
    {
        var problems = new List<(string, string)>();
        if (!EquipmentPath.IsValidSegment(plan.OrderNumber))
        {
            problems.Add(("order", $"'{plan.OrderNumber}' is not an order number: use 1 to 64 letters, digits, '-' and '_'."));
        }

        if (!PartNumber.IsValid(plan.PartNumber))
        {
            problems.Add(("part", $"'{plan.PartNumber}' is not a part number: {PartNumber.Rule}."));
        }
        else if (plant.Products.Count > 0 && !plant.Products.ContainsKey(plan.PartNumber))
        {
            problems.Add(("part", $"'{plan.PartNumber}' is not a product of the plant model."));
        }

        if (plan.Quantity is < 1 or > MaxQuantity)
        {
            problems.Add(("quantity", $"must be a whole number from 1 to {MaxQuantity:N0}; {plan.Quantity} is not."));
        }

        if (plan.Due is { } due && (due < Earliest || due >= Latest))
        {
            problems.Add(("due", $"{due:O} lies outside 2000–2099."));
        }

        if (!EquipmentPath.TryParse(plan.LineId, out var line) || !line.IsLine || plant.Line(line) is null)
        {
            problems.Add(("line", $"'{plan.LineId}' is not a line of the plant: write it as site/line, e.g. plant1/assembly."));
        }
        else if (line.Site != site)
        {
            problems.Add(("line", $"'{plan.LineId}' is not a line of site '{site}'."));
        }

        if (plan.Lot is { } lot && (TextLimits.Check(lot, TextLimits.Code, "lot") is not null || lot.Any(char.IsControl)))
        {
            problems.Add(("lot", $"a lot number has at most {TextLimits.Code} characters and no control characters."));
        }

        return problems;
    }
}
