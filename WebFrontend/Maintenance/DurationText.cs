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

    /// <summary>How long something has waited, never to be read as a time of day: "42 s", "7 min 11 s", "1 h 02 min", "2 d 3 h".</summary>
    public static string Age(TimeSpan span) => span switch
    {
        { TotalMinutes: < 1 } s => $"{Math.Max(0, (int)s.TotalSeconds)} s",
        { TotalHours: < 1 } s => $"{(int)s.TotalMinutes} min {s.Seconds} s",
        { TotalDays: < 1 } s => $"{(int)s.TotalHours} h {s.Minutes:00} min",
        { } s => $"{(int)s.TotalDays} d {s.Hours} h",
    };
}
