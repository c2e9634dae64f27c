using MesOrleans.Oee;

namespace MesOrleans.WebFrontend.Oee;

/// <summary>
/// OEE as the REST API shows it: ratios as fractions between 0 and 1, null where undefined (no planned busy time; no
/// run time for performance; no parts for quality); times in seconds, summed over the machines of a line or site.
/// For a line or site, <see cref="TotalCount"/>, <see cref="GoodCount"/> and <see cref="ScrapCount"/> add up every
/// machine's parts; <see cref="Output"/> is what their counting machines counted, and <see cref="CountsAre"/> says which
/// the totals are: <c>output</c> when every machine counts its line (one machine per line), else <c>sumOfMachines</c>.
/// </summary>
public sealed record OeeResponse(
    double? Availability,
    double? Performance,
    double? Quality,
    double? Oee,
    double? Teep,
    double PlannedBusyTimeSeconds,
    double RunTimeSeconds,
    long TotalCount,
    long GoodCount,
    long ScrapCount,
    DateTimeOffset From,
    DateTimeOffset To,
    double UnmonitoredSeconds,
    DateTimeOffset? DataSince,
    string? CountsAre = null,
    OutputResponse? Output = null)
{
    /// <summary>A machine's figures.</summary>
    public static OeeResponse Of(OeeFigures f) => new(
        f.Availability, f.Performance, f.Quality, f.Oee, f.Teep,
        f.PlannedBusyTime.TotalSeconds, f.RunTime.TotalSeconds,
        f.TotalCount, f.GoodCount, f.ScrapCount, f.From, f.To,
        f.UnmonitoredTime.TotalSeconds, f.DataSince);

    /// <summary>A line's or site's figures, with the output of its counting machines.</summary>
    public static OeeResponse Of(OeeFigures f, IReadOnlyList<string> countingMachines) => Of(f) with
    {
        CountsAre = f.CountsAreOutput ? "output" : "sumOfMachines",
        Output = new OutputResponse(countingMachines, f.OutputCount, f.OutputGoodCount, f.OutputScrapCount),
    };
}

/// <summary>What the counting machines of a line or site counted: the parts the line or site made.</summary>
public sealed record OutputResponse(IReadOnlyList<string> CountingMachines, long TotalCount, long GoodCount, long ScrapCount);
