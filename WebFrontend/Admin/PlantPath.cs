namespace MesOrleans.WebFrontend.Admin;

/// <summary>The JSON paths the plant model's validation names problems by, so that a form shows each at its field.</summary>
public static class PlantPath
{
    public const string Sites = "$.sites";
    public const string DowntimeReasons = "$.downtimeReasons";
    public const string ScrapReasons = "$.scrapReasons";
    public const string Products = "$.products";

    public static string Site(int site) => $"{Sites}[{site}]";

    public static string Shifts(int site) => $"{Site(site)}.shifts";

    public static string Shift(int site, int shift) => $"{Shifts(site)}[{shift}]";

    public static string Break(int site, int shift, int pause) => $"{Shift(site, shift)}.breaks[{pause}]";

    public static string Holidays(int site) => $"{Site(site)}.holidays";

    public static string Holiday(int site, int holiday) => $"{Holidays(site)}[{holiday}]";

    public static string CalendarExceptions(int site) => $"{Site(site)}.calendarExceptions";

    public static string CalendarException(int site, int exception) => $"{CalendarExceptions(site)}[{exception}]";

    public static string Lines(int site) => $"{Site(site)}.lines";

    public static string Line(int site, int line) => $"{Lines(site)}[{line}]";

    public static string Machines(int site, int line) => $"{Line(site, line)}.machines";

    public static string Machine(int site, int line, int machine) => $"{Machines(site, line)}[{machine}]";

    public static string DowntimeReason(int reason) => $"{DowntimeReasons}[{reason}]";

    public static string ScrapReason(int reason) => $"{ScrapReasons}[{reason}]";

    public static string Product(int product) => $"{Products}[{product}]";
}
