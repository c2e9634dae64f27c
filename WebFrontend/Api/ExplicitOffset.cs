using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MesOrleans.WebFrontend.Api;

/// <summary>
/// A time given to the REST API must say its offset (<c>Z</c> or <c>+01:00</c>): without one .NET reads it in the
/// server's own time zone, which is rarely the plant's and never what a script on another machine meant. Telemetry
/// refuses such times for the same reason.
/// </summary>
public static partial class ExplicitOffset
{
    /// <summary>How the problem is told, with an example.</summary>
    public const string Rule = "needs a date, a time and an offset (Z or +01:00), such as 2026-11-25T10:00:00Z";

    /// <summary>Parses an ISO 8601 date and time that carries its offset; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null
            && WithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([Zz]|[+-]\d{2}(:?\d{2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex WithOffset();
}
