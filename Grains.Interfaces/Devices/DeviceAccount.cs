using MesOrleans.Errors;
using MesOrleans.Plant;

namespace MesOrleans.Devices;

/// <summary>A device account as an admin sees it: who it is, for which site, since when (UTC). Never the secret.</summary>
[GenerateSerializer, Immutable, Alias("mes.DeviceAccount")]
public sealed record DeviceAccount(
    [property: Id(0)] string Name,
    [property: Id(1)] string Site,
    [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>A new account and its secret, the one time the secret is visible.</summary>
[GenerateSerializer, Immutable, Alias("mes.NewDeviceAccount")]
public sealed record NewDeviceAccount(
    [property: Id(0)] DeviceAccount Account,
    [property: Id(1)] string Secret);

/// <summary>How to check one account's secret: PBKDF2-HMAC-SHA256 of the secret with this salt and iteration count.</summary>
[GenerateSerializer, Immutable, Alias("mes.DeviceCredential")]
public sealed record DeviceCredential(
    [property: Id(0)] string Name,
    [property: Id(1)] string Site,
    [property: Id(2)] byte[] Salt,
    [property: Id(3)] byte[] Hash,
    [property: Id(4)] int Iterations);

/// <summary>Every account's credential; <see cref="Version"/> grows on every change, so a cache keeps the newest.</summary>
[GenerateSerializer, Immutable, Alias("mes.DeviceCredentials")]
public sealed record DeviceCredentials(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<DeviceCredential> Accounts)
{
    /// <summary>No accounts at all.</summary>
    public static DeviceCredentials None { get; } = new(0, []);
}

/// <summary>What a device account's name and site must look like (whether the site exists is the grain's to say).</summary>
public static class DeviceAccountRules
{
    /// <summary>Every problem with the name and site, by JSON path; empty when both are well formed.</summary>
    public static IReadOnlyList<ValidationProblem> Problems(string? name, string? site)
    {
        var problems = new List<ValidationProblem>();
        if (!EquipmentPath.IsValidSegment(name))
        {
            problems.Add(new("$.name", "A device account name uses letters, digits, '-' and '_' (1 to 64); it is the MQTT user name."));
        }

        if (!EquipmentPath.IsValidSegment(site))
        {
            problems.Add(new("$.site", "A site id uses letters, digits, '-' and '_' (1 to 64)."));
        }

        return problems;
    }
}
