using MesOrleans.Oee;

namespace MesOrleans.WebFrontend.Oee;

/// <summary>
/// OEE as the REST API shows it: ratios as fractions between 0 and 1, null where undefined (no planned busy time; no
/// run time for performance; no parts for quality); times in seconds, summed over the machines of a line or site.
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
    DateTimeOffset? DataSince)
{
    public static OeeResponse Of(OeeFigures f) => new(
        f.Availability, f.Performance, f.Quality, f.Oee, f.Teep,
        f.PlannedBusyTime.TotalSeconds, f.RunTime.TotalSeconds,
        f.TotalCount, f.GoodCount, f.ScrapCount, f.From, f.To,
        f.UnmonitoredTime.TotalSeconds, f.DataSince);
}
