namespace MesOrleans.Devices;

/// <summary>The persisted device accounts: credentials (hashes, never secrets) and when each was created.</summary>
public sealed class DeviceAccountsGrainState
{
    /// <summary>Grows on every change, so that brokers keep the newest set.</summary>
    public long Version { get; set; }

    public List<StoredDeviceAccount> Accounts { get; set; } = [];
}

/// <summary>One account as stored.</summary>
public sealed record StoredDeviceAccount(DeviceCredential Credential, DateTimeOffset CreatedAt);
