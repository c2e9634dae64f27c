namespace MesOrleans.Oee;

/// <summary>
/// OEE over a window in ISO 22400-2 terms. The figures keep their components (times and counts), so that
/// machines aggregate to lines and sites by adding components, never by averaging ratios.
/// All ratios are fractions between 0 and 1; a ratio whose denominator is zero is 0.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.OeeFigures")]
public sealed record OeeFigures(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] TimeSpan CalendarTime,
    [property: Id(3)] TimeSpan PlannedBusyTime,
    [property: Id(4)] TimeSpan RunTime,
    [property: Id(5)] long TotalCount,
    [property: Id(6)] long ScrapCount,
    [property: Id(7)] TimeSpan IdealRunTime,
    [property: Id(8)] TimeSpan IdealGoodTime)
{
    /// <summary>Good parts: total minus scrap.</summary>
    public long GoodCount => TotalCount - ScrapCount;

    /// <summary>A = APT / PBT.</summary>
    public double Availability => Ratio(RunTime, PlannedBusyTime);

    /// <summary>
    /// P = ideal cycle time × total / APT. Capped at 1: a higher value means the configured ideal cycle time is
    /// slower than the machine really is.
    /// </summary>
    public double Performance => Math.Min(1, Ratio(IdealRunTime, RunTime));

    /// <summary>Q = good / total (weighted by ideal cycle time when machines are aggregated).</summary>
    public double Quality => Ratio(IdealGoodTime, IdealRunTime);

    /// <summary>OEE = A × P × Q.</summary>
    public double Oee => Availability * Performance * Quality;

    /// <summary>TEEP = OEE × PBT / calendar time.</summary>
    public double Teep => Oee * Ratio(PlannedBusyTime, CalendarTime);

    /// <summary>Nothing planned, nothing produced, over a window.</summary>
    public static OeeFigures Empty(DateTimeOffset from, DateTimeOffset to) =>
        new(from, to, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0, 0, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>
    /// Aggregates machines over the same window by adding their components (time-weighted): the line's OEE is
    /// its machines' fully productive time over their planned busy time.
    /// </summary>
    public static OeeFigures Combine(DateTimeOffset from, DateTimeOffset to, IEnumerable<OeeFigures> parts) =>
        parts.Aggregate(Empty(from, to), (sum, p) => sum with
        {
            CalendarTime = sum.CalendarTime + p.CalendarTime,
            PlannedBusyTime = sum.PlannedBusyTime + p.PlannedBusyTime,
            RunTime = sum.RunTime + p.RunTime,
            TotalCount = sum.TotalCount + p.TotalCount,
            ScrapCount = sum.ScrapCount + p.ScrapCount,
            IdealRunTime = sum.IdealRunTime + p.IdealRunTime,
            IdealGoodTime = sum.IdealGoodTime + p.IdealGoodTime,
        });

    /// <summary>Aggregates figures of the same window (see the other overload); null when there are none.</summary>
    public static OeeFigures? Combine(IReadOnlyCollection<OeeFigures> parts) =>
        parts.Count == 0 ? null : Combine(parts.Min(p => p.From), parts.Max(p => p.To), parts);

    private static double Ratio(TimeSpan numerator, TimeSpan denominator) =>
        denominator <= TimeSpan.Zero ? 0 : Math.Clamp(numerator / denominator, 0, 1);
}
