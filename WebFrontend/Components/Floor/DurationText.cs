using System.Globalization;

namespace MesOrleans.WebFrontend.Components.Floor;

/// <summary>How long something has lasted, the way a stopwatch shows it.</summary>
public static class DurationText
{
    /// <summary><c>0:07</c>, <c>12:05</c>, <c>1:02:03</c>; hours go on past a day (<c>27:00:00</c>); nothing negative.</summary>
    public static string Clock(TimeSpan duration)
    {
        var d = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
        var hours = (long)d.TotalHours;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{d.Minutes:00}:{d.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{d.Minutes}:{d.Seconds:00}");
    }

    /// <summary>
    /// A ticking duration that cannot be taken for a time of day: <c>42s</c>, <c>15m 03s</c>, <c>1h 02m 03s</c>,
    /// <c>2d 03h</c>; nothing negative.
    /// </summary>
    public static string Compact(TimeSpan duration)
    {
        var d = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
        return d switch
        {
            { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(long)d.TotalDays}d {d.Hours:00}h"),
            { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{d.Hours}h {d.Minutes:00}m {d.Seconds:00}s"),
            { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{d.Minutes}m {d.Seconds:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{d.Seconds}s"),
        };
    }

    /// <summary>Whole minutes for reports: <c>45 min</c>, <c>2 h 05 min</c>; seconds below a minute (<c>8 s</c>), never "0 min".</summary>
    public static string Minutes(double minutes)
    {
        if (minutes is > 0 and < 0.5)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, Math.Round(minutes * 60)):0} s");
        }

        var whole = (long)Math.Round(Math.Max(0, minutes), MidpointRounding.AwayFromZero);
        return whole < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{whole} min")
            : string.Create(CultureInfo.InvariantCulture, $"{whole / 60} h {whole % 60:00} min");
    }
}
