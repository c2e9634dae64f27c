namespace MesOrleans.Devices;

/// <summary>
/// Each process's copy of the device accounts, so that the broker checks a sign-in without a grain call. The
/// device-accounts grain hands every change to the copy of its own process at once; brokers also refresh from the
/// grain now and then, for changes made on another silo.
/// </summary>
internal sealed class DeviceAccountDirectory(IGrainFactory grains)
{
    private volatile Snapshot _current = new(DeviceCredentials.None);

    /// <summary>Raised after the accounts changed (on the thread that brought the change).</summary>
    public event Action? Changed;

    public bool HasAccounts => _current.ByName.Count > 0;

    /// <summary>The account's credential, or null when there is no such account.</summary>
    public DeviceCredential? Find(string name) => _current.ByName.GetValueOrDefault(name);

    /// <summary>Takes a set of accounts if it is newer than the one held.</summary>
    public void Publish(DeviceCredentials credentials)
    {
        var next = new Snapshot(credentials);
        var current = _current;
        while (current.Credentials.Version < credentials.Version)
        {
            var seen = Interlocked.CompareExchange(ref _current, next, current);
            if (ReferenceEquals(seen, current))
            {
                Changed?.Invoke();
                return;
            }

            current = seen;
        }
    }

    /// <summary>Fetches the newest accounts from the device-accounts grain.</summary>
    public async Task RefreshAsync() =>
        Publish(await grains.GetGrain<IDeviceAccountsGrain>(IDeviceAccountsGrain.Key).GetCredentialsAsync());

    private sealed class Snapshot(DeviceCredentials credentials)
    {
        public DeviceCredentials Credentials { get; } = credentials;

        public IReadOnlyDictionary<string, DeviceCredential> ByName { get; } =
            credentials.Accounts.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }
}
