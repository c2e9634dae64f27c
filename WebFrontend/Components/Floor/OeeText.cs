using System.Globalization;
using MesOrleans.Oee;

namespace MesOrleans.WebFrontend.Components.Floor;

/// <summary>OEE figures as the floor reads them: what a ratio is when it is undefined, and how much of the window has data.</summary>
public static class OeeText
{
    /// <summary>Shown for a ratio when nothing was planned, or nothing was monitored, in the window.</summary>
    public const string NoPlan = "no plan";

    /// <summary>Shown for a ratio when the window has planned time but no machine reported in it yet.</summary>
    public const string NoData = "no data yet";

    /// <summary><c>87%</c>; a dash for a ratio that is undefined.</summary>
    public static string Percent(double? ratio) => ratio is { } r ? r.ToString("P0", CultureInfo.CurrentCulture) : "—";

    /// <summary>A ratio, or what stands in its place when the figures have no planned busy time.</summary>
    public static string Ratio(OeeFigures? figures, Func<OeeFigures, double?> ratio) =>
        figures is null ? "—" : figures.HasPlan ? Percent(ratio(figures)) : Missing(figures);

    /// <summary>Why figures have no ratios: nothing planned, or nothing heard from the machines yet.</summary>
    public static string Missing(OeeFigures figures) => figures.UnmonitoredTime > TimeSpan.Zero ? NoData : NoPlan;

    /// <summary>
    /// How much of the window the figures cover, when not all of it: "data since 14:32" in the site's time zone,
    /// else the machine time without data; null when the data covers the window.
    /// </summary>
    public static string? Coverage(OeeFigures? figures, TimeZoneInfo zone)
    {
        if (figures is null || figures.UnmonitoredTime <= TimeSpan.Zero)
        {
            return null;
        }

        return figures.DataSince is { } since
            ? string.Create(CultureInfo.CurrentCulture, $"data since {TimeZoneInfo.ConvertTime(since, zone):HH:mm}")
            : $"{DurationText.Minutes(figures.UnmonitoredTime.TotalMinutes)} without data";
    }
}
