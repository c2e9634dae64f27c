using System.Security.Cryptography;
using System.Text;

namespace MesOrleans.WebFrontend.Security.Stations;

/// <summary>
/// Badge numbers as the identity database keeps them: hashed, so that a look at the table does not show them.
/// A badge is an identifier the reader types (like a card's number), not a secret: the hash must be found again
/// from the number, so it is unsalted; a PIN, which is a secret, is hashed with Identity's salted hasher.
/// </summary>
public static class OperatorBadge
{
    public const int MaxLength = 64;

    public static bool IsValid(string? badge) =>
        badge is { Length: > 0 and <= MaxLength } && badge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Hash(string badge) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("mes-badge:" + badge.Trim().ToUpperInvariant())));

    /// <summary>A PIN is 4 to 8 digits.</summary>
    public static bool IsValidPin(string? pin) => pin is { Length: >= 4 and <= 8 } && pin.All(char.IsAsciiDigit);
}
