using System.Globalization;

namespace MesOrleans.Shifts;

/// <summary>Parses the plant model's local times of day, written "HH:mm" (00:00–23:59).</summary>
public static class ShiftTime
{
    public static bool TryParse(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static TimeOnly Parse(string text) =>
        TryParse(text, out var time) ? time : throw new FormatException($"'{text}' is not a time of day like 06:00.");
}
