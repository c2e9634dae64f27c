using System.Security.Cryptography;
using System.Text;

namespace MesOrleans.Devices;

/// <summary>
/// Device secrets: 256 random bits, shown once, stored as a salted PBKDF2-HMAC-SHA256 hash and compared in constant
/// time. The secret is generated, never chosen by a person, so guessing it is hopeless whatever the iteration count;
/// the iterations only slow down an attacker who stole the hashes, and are kept low enough that a plant's devices
/// reconnecting at once (after a network outage) cost the broker milliseconds each, not seconds.
/// </summary>
internal static class DeviceSecret
{
    public const int Iterations = 10_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Checked when the name is unknown, so that a wrong name costs as long as a wrong secret.
    private static readonly DeviceCredential Nobody = Create("nobody", "", RandomNumberGenerator.GetHexString(32));

    /// <summary>A new secret, URL-safe base64 without padding (43 characters).</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The credential for <paramref name="secret"/> with a new salt.</summary>
    public static DeviceCredential Create(string name, string site, string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new DeviceCredential(name, site, salt, Hash(secret, salt, Iterations), Iterations);
    }

    /// <summary>True when <paramref name="secret"/> is the credential's secret; null stands for an unknown name.</summary>
    public static bool Matches(DeviceCredential? credential, ReadOnlySpan<byte> secret)
    {
        var checkedAgainst = credential ?? Nobody;
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, checkedAgainst.Salt, checkedAgainst.Iterations, HashAlgorithmName.SHA256, HashBytes);
        return CryptographicOperations.FixedTimeEquals(hash, checkedAgainst.Hash) && credential is not null;
    }

    private static byte[] Hash(string secret, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
