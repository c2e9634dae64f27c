using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace MesOrleans.WebFrontend.Security.Tokens;

/// <summary>
/// A secret handed out once and kept only as a hash: API tokens (<c>mes_{id}_{secret}</c>) and station device
/// cookies (<c>{id}.{secret}</c>). The secret has 256 random bits, so a plain SHA-256 suffices to store it.
/// </summary>
public static class TokenSecret
{
    public const string ApiTokenPrefix = "mes_";

    public static (string Id, string Secret) New() =>
        (Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant(), Base64Url(RandomNumberGenerator.GetBytes(32)));

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(hash));

    public static string ApiToken(string id, string secret) => $"{ApiTokenPrefix}{id}_{secret}";

    public static bool TryParseApiToken([NotNullWhen(true)] string? token, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret) =>
        TrySplit(token?.StartsWith(ApiTokenPrefix, StringComparison.Ordinal) == true ? token[ApiTokenPrefix.Length..] : null, '_', out id, out secret);

    public static bool TrySplit([NotNullWhen(true)] string? text, char separator, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret)
    {
        var at = text?.IndexOf(separator) ?? -1;
        (id, secret) = at > 0 && at < text!.Length - 1 ? (text[..at], text[(at + 1)..]) : (null, null);
        return id is not null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
