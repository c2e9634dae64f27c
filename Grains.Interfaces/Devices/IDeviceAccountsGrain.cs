namespace MesOrleans.Devices;

/// <summary>
/// The plant's device accounts: the credentials machines and gateways use to sign in to the embedded MQTT broker.
/// Each account belongs to one site and may publish only that site's telemetry. Secrets are generated here, shown
/// once and stored only as salted PBKDF2 hashes. There is one per cluster, keyed <see cref="Key"/>.
/// </summary>
[Alias("mes.IDeviceAccountsGrain")]
public interface IDeviceAccountsGrain : IGrainWithStringKey
{
    /// <summary>The key of the one device-accounts grain.</summary>
    const string Key = "devices";

    /// <summary>Every account, by name, without secrets.</summary>
    [Alias("List")]
    Task<IReadOnlyList<DeviceAccount>> ListAsync();

    /// <summary>What a broker needs to check a sign-in: names, sites and secret hashes, with a version that grows on every change.</summary>
    [Alias("GetCredentials")]
    Task<DeviceCredentials> GetCredentialsAsync();

    /// <summary>
    /// Creates an account for a site of the plant model and returns its secret, which is not kept and cannot be read
    /// again. A bad name or an unknown site throws <see cref="Errors.MesCommandException"/> (invalid, naming the
    /// field); an existing name throws it as a conflict.
    /// </summary>
    [Alias("Create")]
    Task<NewDeviceAccount> CreateAsync(string name, string site);

    /// <summary>Deletes an account; devices signed in with it are disconnected. False when there is no such account.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(string name);
}
