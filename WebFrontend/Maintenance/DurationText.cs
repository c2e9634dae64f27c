using System.Globalization;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>Durations as maintenance crews read them.</summary>
public static class DurationText
{
    /// <summary>A KPI: "45 s", "12 min", "1 h 05 min", "3 d 4 h"; a dash when there is none.</summary>
    public static string Of(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalMinutes: < 1 } s => $"{Math.Max(0, (int)s.TotalSeconds)} s",
        { TotalHours: < 1 } s => $"{(int)s.TotalMinutes} min",
        { TotalDays: < 1 } s => $"{(int)s.TotalHours} h {s.Minutes:00} min",
        { } s => $"{(int)s.TotalDays} d {s.Hours} h",
    };

    /// <summary>A running clock: "04:07", "1:02:03", "2 d 03:04".</summary>
    public static string Clock(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span switch
        {
            { TotalHours: < 1 } => span.ToString(@"mm\:ss", CultureInfo.InvariantCulture),
            { TotalDays: < 1 } => $"{(int)span.TotalHours}:{span:mm\\:ss}",
            _ => $"{(int)span.TotalDays} d {span:hh\\:mm}",
        };
    }
}
