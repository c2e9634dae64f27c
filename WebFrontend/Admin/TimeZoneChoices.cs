namespace MesOrleans.WebFrontend.Admin;

/// <summary>The IANA time zones this server knows, for the site form's picker.</summary>
public static class TimeZoneChoices
{
    private static readonly Lazy<IReadOnlyList<TimeZoneChoice>> All = new(() =>
    {
        var now = DateTimeOffset.UtcNow;
        return TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.HasIanaId)
            .Select(z => new TimeZoneChoice(z.Id, $"{z.Id} (UTC{Offset(z.GetUtcOffset(now))})"))
            .OrderBy(z => z.Id, StringComparer.Ordinal)
            .ToList();
    });

    /// <summary>Every known zone, and <paramref name="current"/> too when it is not one (so that a bad value still shows).</summary>
    public static IReadOnlyList<TimeZoneChoice> With(string? current) =>
        string.IsNullOrEmpty(current) || All.Value.Any(z => z.Id == current)
            ? All.Value
            : [new TimeZoneChoice(current, $"{current} (unknown)"), .. All.Value];

    private static string Offset(TimeSpan offset) => $"{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm}";
}

public sealed record TimeZoneChoice(string Id, string Text);
