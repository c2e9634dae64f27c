using MesOrleans.Devices;

namespace MesOrleans.Mqtt;

/// <summary>Who a client of the embedded broker signed in as; decided when it connects.</summary>
internal sealed class BrokerPrincipal
{
    private readonly string _description;

    private BrokerPrincipal(string description, DeviceCredential? device)
    {
        _description = description;
        Device = device;
    }

    /// <summary>No sign-in: allowed only while no credentials are configured; any topic.</summary>
    public static BrokerPrincipal Anonymous { get; } = new("anonymous", device: null);

    /// <summary>The configured <c>Mes:Mqtt:EmbeddedBroker:Username</c>: any topic.</summary>
    public static BrokerPrincipal PlantAccount { get; } = new("the plant account", device: null);

    /// <summary>The device account signed in with; null for the anonymous and plant-wide principals.</summary>
    public DeviceCredential? Device { get; }

    /// <summary>A device account: its own site's telemetry only.</summary>
    public static BrokerPrincipal ForDevice(DeviceCredential device) =>
        new($"device account {device.Name} (site {device.Site})", device);

    public override string ToString() => _description;
}
