using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Reports;

/// <summary>
/// The windows reports are asked for, read off a site's shift calendar: the current shift, the one before it, a
/// local day. Everything comes out in UTC; the site's time zone says where its days begin.
/// </summary>
public static class ShiftWindows
{
    /// <summary>The site's time zone.</summary>
    public static TimeZoneInfo TimeZoneOf(PlantView plant, string site) => plant.CalendarOf(site).TimeZone;

    /// <summary>The shift running at <paramref name="at"/>, else the last one that ended before it; null without shifts.</summary>
    public static ShiftWindow? CurrentOrLast(PlantView plant, string site, DateTimeOffset at) =>
        plant.CalendarOf(site).CurrentOrLast(at) is { } o ? new ShiftWindow(o.Name, o.Range.Start, o.Range.End) : null;

    /// <summary>The shift before the one running (or last run) at <paramref name="at"/>.</summary>
    public static ShiftWindow? Previous(PlantView plant, string site, DateTimeOffset at) =>
        CurrentOrLast(plant, site, at) is { } current ? CurrentOrLast(plant, site, current.Start.AddTicks(-1)) : null;

    /// <summary>Shift time minus breaks within [from, to): the time a machine is planned to produce.</summary>
    public static TimeSpan PlannedProductionTime(PlantView plant, string site, DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? TimeSpan.Zero : TimeRanges.Duration(plant.CalendarOf(site).PlannedProductionTime(new TimeRange(from, to)));

    /// <summary>The site's local calendar day as [midnight, next midnight) in UTC.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Day(PlantView plant, string site, DateOnly day)
    {
        var range = plant.CalendarOf(site).Day(day);
        return (range.Start, range.End);
    }

    /// <summary>The site's local date at an instant.</summary>
    public static DateOnly LocalDate(PlantView plant, string site, DateTimeOffset at) => plant.CalendarOf(site).LocalDate(at);
}
