using System.Diagnostics.CodeAnalysis;

namespace MesOrleans.Plant;

/// <summary>
/// What a part number may be: 1 to 64 letters, digits, '-', '_' and '.', the characters ERP part numbers use that are
/// also safe in URLs (<c>/api/quality/plans/{partNumber}</c>) and CSV files.
/// </summary>
public static class PartNumber
{
    /// <summary>The rule in words, for messages.</summary>
    public const string Rule = "use 1 to 64 characters: letters, digits, '-', '_' and '.'";

    /// <summary>True when <paramref name="text"/> is a valid part number.</summary>
    public static bool IsValid([NotNullWhen(true)] string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
