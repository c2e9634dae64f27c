namespace MesOrleans.Reports;

/// <summary>An amount lost to one cause: minutes of downtime or parts scrapped for one reason.</summary>
/// <param name="Code">The reason code, or a key such as <c>down</c> for time nobody gave a reason for.</param>
/// <param name="Name">What a person reads.</param>
/// <param name="Category">The reason's category from the catalog.</param>
/// <param name="Amount">Minutes or parts.</param>
/// <param name="Occurrences">How many stops or entries.</param>
public sealed record LossAmount(string Code, string Name, string Category, double Amount, int Occurrences);

/// <summary>One bar of a Pareto chart: a cause, its amount, and its share and the running share of the whole (0 to 1).</summary>
public sealed record ParetoBar(string Code, string Name, string Category, double Amount, int Occurrences, double Share, double CumulativeShare);

/// <summary>Ranks causes the Pareto way: the few that lose the most come first, with the running share of the whole.</summary>
public static class Pareto
{
    /// <summary>
    /// Adds up amounts of the same code, drops causes that lost nothing, and orders the rest largest first (ties by
    /// name, then code, so the order is stable). The last cumulative share is exactly 1.
    /// </summary>
    public static IReadOnlyList<ParetoBar> Rank(IEnumerable<LossAmount> amounts)
    {
        var causes = amounts
            .GroupBy(a => a.Code, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First() with { Amount = g.Sum(a => a.Amount), Occurrences = g.Sum(a => a.Occurrences) })
            .Where(a => a.Amount > 0)
            .OrderByDescending(a => a.Amount)
            .ThenBy(a => a.Name, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(a => a.Code, StringComparer.Ordinal)
            .ToList();

        // Summed in the order the running total is, so the last running total equals the whole exactly.
        var total = causes.Aggregate(0.0, (sum, a) => sum + a.Amount);
        var running = 0.0;
        var bars = new List<ParetoBar>(causes.Count);
        foreach (var cause in causes)
        {
            running += cause.Amount;
            bars.Add(new ParetoBar(cause.Code, cause.Name, cause.Category, cause.Amount, cause.Occurrences, cause.Amount / total, running / total));
        }

        return bars;
    }
}
