namespace MesOrleans.Quality;

/// <summary>A chart's center line and control limits.</summary>
public sealed record ChartLimits(double Center, double Ucl, double Lcl);

/// <summary>One subgroup on the chart: its time, mean (the value itself for individuals), range (the moving range for individuals; null for the first) and the Western Electric rules it breaks.</summary>
public sealed record ChartPoint(DateTimeOffset At, double Mean, double? Range, IReadOnlyList<string> Violations);

/// <summary>
/// A control chart: <c>xbarR</c> (subgroups of 2 to 10) or <c>imr</c> (individuals and moving range, subgroups of 1),
/// its limits (null until there are enough points), and its points in time order.
/// </summary>
public sealed record SpcChart(string Chart, int SubgroupSize, ChartLimits? Xbar, ChartLimits? Range, IReadOnlyList<ChartPoint> Points);

/// <summary>One subgroup of measured values, at its inspection's time.</summary>
public sealed record Subgroup(DateTimeOffset At, IReadOnlyList<double> Values);

/// <summary>
/// Shewhart control charts with the standard constants: X̄-R for subgroups of 2 to 10 (UCL = X̿ ± A2·R̄, range limits
/// D3·R̄ and D4·R̄), individuals and moving range for 1 (X̄ ± 2.66·M̄R̄, range limit 3.267·M̄R̄). Limits come from all
/// subgroups given unless the plan fixes them. Each point is checked against the four Western Electric rules on the X̄
/// (or individuals) chart.
/// </summary>
public static class ControlChart
{
    public const string XbarR = "xbarR";
    public const string Imr = "imr";

    // Indexed by subgroup size n (2 to 10).
    private static readonly double[] A2 = [0, 0, 1.880, 1.023, 0.729, 0.577, 0.483, 0.419, 0.373, 0.337, 0.308];
    private static readonly double[] D3 = [0, 0, 0, 0, 0, 0, 0, 0.076, 0.136, 0.184, 0.223];
    private static readonly double[] D4 = [0, 0, 3.267, 2.574, 2.282, 2.114, 2.004, 1.924, 1.864, 1.816, 1.777];

    // Individuals: 3 / d2 with d2 = 1.128 for moving ranges of two.
    private const double E2 = 2.66;

    public static SpcChart Build(IReadOnlyList<Subgroup> subgroups, int subgroupSize, ControlLimits? fixedXbar = null, ControlLimits? fixedRange = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subgroupSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subgroupSize, A2.Length - 1);
        var ordered = subgroups.Where(s => s.Values.Count == subgroupSize).OrderBy(s => s.At).ToList();
        var means = ordered.Select(s => s.Values.Average()).ToList();
        var ranges = subgroupSize == 1
            ? means.Select((x, i) => i == 0 ? (double?)null : Math.Abs(x - means[i - 1])).ToList()
            : ordered.Select(s => (double?)(s.Values.Max() - s.Values.Min())).ToList();

        var (xbar, range) = fixedXbar is null || fixedRange is null ? Limits(means, ranges, subgroupSize) : (null, null);
        xbar = fixedXbar is { } x ? new ChartLimits(x.Center, x.Ucl, x.Lcl) : xbar;
        range = fixedRange is { } r ? new ChartLimits(r.Center, r.Ucl, r.Lcl) : range;

        var violations = xbar is null ? means.Select(_ => (IReadOnlyList<string>)[]).ToList() : WesternElectric.Check(means, xbar);
        var points = ordered.Select((s, i) => new ChartPoint(s.At, means[i], ranges[i], violations[i])).ToList();
        return new SpcChart(subgroupSize == 1 ? Imr : XbarR, subgroupSize, xbar, range, points);
    }

    private static (ChartLimits? Xbar, ChartLimits? Range) Limits(List<double> means, List<double?> ranges, int n)
    {
        var known = ranges.OfType<double>().ToList();
        if (means.Count == 0 || known.Count == 0)
        {
            return (null, null);
        }

        var center = means.Average();
        var rBar = known.Average();
        return n == 1
            ? (new ChartLimits(center, center + (E2 * rBar), center - (E2 * rBar)), new ChartLimits(rBar, D4[2] * rBar, 0))
            : (new ChartLimits(center, center + (A2[n] * rBar), center - (A2[n] * rBar)), new ChartLimits(rBar, D4[n] * rBar, D3[n] * rBar));
    }
}

/// <summary>
/// The Western Electric rules, with zones a third of the way from the center line to each control limit:
/// rule 1, a point beyond a control limit; rule 2, two of three points in a row beyond two thirds on the same side;
/// rule 3, four of five in a row beyond one third on the same side; rule 4, eight in a row on the same side of the
/// center. The point that completes a pattern (and is part of it) is marked.
/// </summary>
public static class WesternElectric
{
    public static List<IReadOnlyList<string>> Check(IReadOnlyList<double> values, ChartLimits limits)
    {
        var above = (limits.Ucl - limits.Center) / 3;
        var below = (limits.Center - limits.Lcl) / 3;

        // How far each point lies from the center in zones of its side: +2.4 is past two thirds above.
        var zone = values.Select(v => v >= limits.Center ? (above > 0 ? (v - limits.Center) / above : 0) : (below > 0 ? (v - limits.Center) / below : 0)).ToList();
        var result = new List<IReadOnlyList<string>>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var broken = new List<string>();
            if (values[i] > limits.Ucl || values[i] < limits.Lcl)
            {
                broken.Add("rule1");
            }

            if (Run(zone, i, 3, 2, 2))
            {
                broken.Add("rule2");
            }

            if (Run(zone, i, 5, 4, 1))
            {
                broken.Add("rule3");
            }

            if (i >= 7 && (Enumerable.Range(i - 7, 8).All(j => values[j] > limits.Center) || Enumerable.Range(i - 7, 8).All(j => values[j] < limits.Center)))
            {
                broken.Add("rule4");
            }

            result.Add(broken);
        }

        return result;
    }

    // At least `needed` of the `window` points ending at i lie beyond `zones` on one side, point i among them.
    private static bool Run(List<double> zone, int i, int window, int needed, double zones)
    {
        if (i < window - 1)
        {
            return false;
        }

        var recent = zone.Skip(i - window + 1).Take(window).ToList();
        return (zone[i] > zones && recent.Count(z => z > zones) >= needed)
            || (zone[i] < -zones && recent.Count(z => z < -zones) >= needed);
    }
}
