namespace MesOrleans.Oee;

/// <summary>
/// OEE over a window in ISO 22400-2 terms. The figures keep their components (times and counts), so that
/// machines aggregate to lines and sites by adding components, never by averaging ratios.
/// All ratios are fractions between 0 and 1, or null where they are undefined: every ratio is null when there is no
/// planned busy time (nothing was planned, or nothing was monitored), performance when there was no run time and
/// quality when nothing was made. Times of lines and sites are machine time: the sum over their machines.
/// </summary>
/// <param name="From">The window's start.</param>
/// <param name="To">The window's end.</param>
/// <param name="CalendarTime">The window's length (for lines and sites, times the number of machines).</param>
/// <param name="PlannedBusyTime">PBT: planned production time minus planned stops, from the first known state on.</param>
/// <param name="RunTime">APT: time running within planned busy time (minor stops included).</param>
/// <param name="TotalCount">Parts made.</param>
/// <param name="ScrapCount">Of those, scrap.</param>
/// <param name="IdealRunTime">Ideal cycle time × parts made.</param>
/// <param name="IdealGoodTime">Ideal cycle time × good parts: fully productive time.</param>
/// <param name="UnmonitoredTime">
/// Planned production time before a machine's first known state: the MES had not heard of the machine yet, so the time
/// is neither a loss nor planned busy time.
/// </param>
/// <param name="DataSince">
/// When the data starts within the window, for a machine first heard of during it (for lines and sites the latest such
/// machine's); null when the data covers the window, or when there is none.
/// </param>
/// <param name="Machines">How many machines the figures add up.</param>
/// <param name="CountingMachines">How many of them count their line's output (see <see cref="AsOutput"/>).</param>
/// <param name="OutputCount">Parts made at the counting machines: the output of lines and sites.</param>
/// <param name="OutputScrapCount">Of those, scrap.</param>
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
    [property: Id(8)] TimeSpan IdealGoodTime,
    [property: Id(9)] TimeSpan UnmonitoredTime = default,
    [property: Id(10)] DateTimeOffset? DataSince = null,
    [property: Id(11)] int Machines = 0,
    [property: Id(12)] int CountingMachines = 0,
    [property: Id(13)] long OutputCount = 0,
    [property: Id(14)] long OutputScrapCount = 0)
{
    /// <summary>Good parts at the counting machines.</summary>
    public long OutputGoodCount => OutputCount - OutputScrapCount;

    /// <summary>
    /// True when every machine added up counts its line's output (one machine per line): then <see cref="TotalCount"/>
    /// is the output; otherwise it is a sum over machines that make the same parts one after another.
    /// </summary>
    public bool CountsAreOutput => Machines == CountingMachines;

    /// <summary>The figures of a machine that counts its line's output: its counts are that output.</summary>
    public OeeFigures AsOutput() => this with { CountingMachines = Machines, OutputCount = TotalCount, OutputScrapCount = ScrapCount };

    /// <summary>Good parts: total minus scrap.</summary>
    public long GoodCount => TotalCount - ScrapCount;

    /// <summary>A = APT / PBT; null without planned busy time.</summary>
    public double? Availability => HasPlan ? Ratio(RunTime, PlannedBusyTime) : null;

    /// <summary>
    /// P = ideal cycle time × total / APT; null without run time. Capped at 1: a higher value means the configured
    /// ideal cycle time is slower than the machine really is.
    /// </summary>
    public double? Performance => HasPlan && RunTime > TimeSpan.Zero ? Math.Min(1, Ratio(IdealRunTime, RunTime)) : null;

    /// <summary>Q = good / total (weighted by ideal cycle time when machines are aggregated); null when nothing was made.</summary>
    public double? Quality => HasPlan && IdealRunTime > TimeSpan.Zero ? Ratio(IdealGoodTime, IdealRunTime) : null;

    /// <summary>
    /// OEE = A × P × Q; null without planned busy time. A missing factor makes it 0: no run time, or run time without
    /// parts, is no production.
    /// </summary>
    public double? Oee => HasPlan ? (Availability ?? 0) * (Performance ?? 0) * (Quality ?? 0) : null;

    /// <summary>TEEP = OEE × PBT / calendar time; null when OEE is.</summary>
    public double? Teep => Oee is { } oee && CalendarTime > TimeSpan.Zero ? oee * Ratio(PlannedBusyTime, CalendarTime) : null;

    /// <summary>True when there is planned busy time, so that the ratios are defined.</summary>
    public bool HasPlan => PlannedBusyTime > TimeSpan.Zero;

    /// <summary>Nothing planned, nothing produced, over a window.</summary>
    public static OeeFigures Empty(DateTimeOffset from, DateTimeOffset to) =>
        new(from, to, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0, 0, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>
    /// Aggregates machines over the same window by adding their components (time-weighted): the line's OEE is
    /// its machines' fully productive time over their planned busy time. Unmonitored time adds up too; data is
    /// complete since the latest <see cref="DataSince"/> of the machines.
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
            UnmonitoredTime = sum.UnmonitoredTime + p.UnmonitoredTime,
            DataSince = sum.DataSince is { } a && p.DataSince is { } b ? (a > b ? a : b) : sum.DataSince ?? p.DataSince,
            Machines = sum.Machines + p.Machines,
            CountingMachines = sum.CountingMachines + p.CountingMachines,
            OutputCount = sum.OutputCount + p.OutputCount,
            OutputScrapCount = sum.OutputScrapCount + p.OutputScrapCount,
        });

    /// <summary>Aggregates figures of the same window (see the other overload); null when there are none.</summary>
    public static OeeFigures? Combine(IReadOnlyCollection<OeeFigures> parts) =>
        parts.Count == 0 ? null : Combine(parts.Min(p => p.From), parts.Max(p => p.To), parts);

    private static double Ratio(TimeSpan numerator, TimeSpan denominator) =>
        denominator <= TimeSpan.Zero ? 0 : Math.Clamp(numerator / denominator, 0, 1);
}
