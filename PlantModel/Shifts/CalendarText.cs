using System.Globalization;

namespace MesOrleans.Shifts;

/// <summary>
/// Parses the plant model's calendar words: weekdays written as three lower-case letters ("mon" … "sun") and local
/// dates written "yyyy-MM-dd".
/// </summary>
public static class CalendarText
{
    private static readonly string[] WeekdayWords = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>The weekday words in calendar order, Monday first.</summary>
    public static IReadOnlyList<string> Weekdays => WeekdayWords;

    public static bool TryParseWeekday(string? text, out DayOfWeek day)
    {
        var index = text is null ? -1 : Array.IndexOf(WeekdayWords, text);
        day = index < 0 ? default : (DayOfWeek)((index + 1) % 7);
        return index >= 0;
    }

    /// <summary>The word the plant model writes for a weekday.</summary>
    public static string Weekday(DayOfWeek day) => WeekdayWords[((int)day + 6) % 7];

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static DateOnly ParseDate(string text) =>
        TryParseDate(text, out var date) ? date : throw new FormatException($"'{text}' is not a date like 2026-12-25.");

    public static DayOfWeek ParseWeekday(string text) =>
        TryParseWeekday(text, out var day) ? day : throw new FormatException($"'{text}' is not a weekday like mon.");
}
