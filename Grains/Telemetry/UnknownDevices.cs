using MesOrleans.Plant;

namespace MesOrleans.Telemetry;

/// <summary>
/// The machines that send telemetry but are not in the plant model, so that an admin can add them (then
/// <see cref="Forget"/> them). Bounded: a gateway spraying random machine ids fills <see cref="Capacity"/> entries
/// and then only <see cref="Overflow"/> grows. One per silo; thread-safe.
/// </summary>
public sealed class UnknownDevices
{
    public const int Capacity = 1_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<EquipmentPath, Entry> _devices = [];
    private long _overflow;

    /// <summary>Messages from unknown machines not listed because the registry was full.</summary>
    public long Overflow
    {
        get
        {
            lock (_gate)
            {
                return _overflow;
            }
        }
    }

    internal void Record(EquipmentPath machine, string topic, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(topic);
        lock (_gate)
        {
            if (_devices.TryGetValue(machine, out var entry))
            {
                // Messages are handled concurrently, so arrival times may come in slightly out of order.
                if (receivedAt >= entry.LastSeen)
                {
                    entry.LastSeen = receivedAt;
                    entry.Topic = topic;
                }

                if (receivedAt < entry.FirstSeen)
                {
                    entry.FirstSeen = receivedAt;
                }

                entry.Messages++;
            }
            else if (_devices.Count < Capacity)
            {
                _devices.Add(machine, new Entry(topic, receivedAt));
            }
            else
            {
                _overflow++;
            }
        }
    }

    /// <summary>The unknown machines, most recently heard from first.</summary>
    public IReadOnlyList<UnknownDevice> List()
    {
        List<UnknownDevice> devices;
        lock (_gate)
        {
            devices = _devices
                .Select(pair => new UnknownDevice(pair.Key.ToString(), pair.Value.Topic, pair.Value.FirstSeen, pair.Value.LastSeen, pair.Value.Messages))
                .ToList();
        }

        return devices
            .OrderByDescending(device => device.LastSeen)
            .ThenBy(device => device.MachinePath, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Removes a machine, e.g. once it is in the plant model. False when it was not listed.</summary>
    public bool Forget(string machinePath)
    {
        if (!EquipmentPath.TryParse(machinePath, out var machine))
        {
            return false;
        }

        lock (_gate)
        {
            return _devices.Remove(machine);
        }
    }

    private sealed class Entry(string topic, DateTimeOffset seen)
    {
        public string Topic { get; set; } = topic;

        public DateTimeOffset FirstSeen { get; set; } = seen;

        public DateTimeOffset LastSeen { get; set; } = seen;

        public long Messages { get; set; } = 1;
    }
}
