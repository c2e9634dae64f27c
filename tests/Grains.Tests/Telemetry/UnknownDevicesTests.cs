using MesOrleans.Plant;
using MesOrleans.Telemetry;

namespace MesOrleans.Tests.Telemetry;

public sealed class UnknownDevicesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly EquipmentPath Ghost = EquipmentPath.ForMachine("plant1", "assembly", "ghost");
    private static readonly EquipmentPath Typo = EquipmentPath.ForMachine("plant1", "assembly", "pres-3");

    private readonly UnknownDevices _devices = new();

    [Fact]
    public void Lists_each_machine_once_with_its_first_and_last_message_most_recent_first()
    {
        _devices.Record(Ghost, "mes/plant1/assembly/ghost/state", T0);
        _devices.Record(Typo, "mes/plant1/assembly/pres-3/count", T0.AddSeconds(5));
        _devices.Record(Ghost, "mes/plant1/assembly/ghost/count", T0.AddSeconds(10));
        _devices.Record(Ghost, "mes/plant1/assembly/ghost/state", T0.AddSeconds(8)); // handled a little late.

        Assert.Equal(
            [
                new UnknownDevice("plant1/assembly/ghost", "mes/plant1/assembly/ghost/count", T0, T0.AddSeconds(10), 3),
                new UnknownDevice("plant1/assembly/pres-3", "mes/plant1/assembly/pres-3/count", T0.AddSeconds(5), T0.AddSeconds(5), 1),
            ],
            _devices.List());
    }

    [Fact]
    public void Forgets_a_machine_once_it_is_added_to_the_plant_model()
    {
        _devices.Record(Ghost, "mes/plant1/assembly/ghost/state", T0);
        _devices.Record(Typo, "mes/plant1/assembly/pres-3/state", T0);

        Assert.True(_devices.Forget("plant1/assembly/ghost"));
        Assert.False(_devices.Forget("plant1/assembly/ghost"));
        Assert.False(_devices.Forget("not a path"));
        Assert.Equal(["plant1/assembly/pres-3"], _devices.List().Select(device => device.MachinePath));
    }

    [Fact]
    public void Keeps_at_most_1000_machines_and_counts_the_messages_of_the_rest()
    {
        for (var i = 0; i < UnknownDevices.Capacity; i++)
        {
            _devices.Record(Machine(i), $"mes/plant1/assembly/m{i}/count", T0);
        }

        _devices.Record(Machine(1000), "mes/plant1/assembly/m1000/count", T0);
        _devices.Record(Machine(1001), "mes/plant1/assembly/m1001/count", T0);
        _devices.Record(Machine(1000), "mes/plant1/assembly/m1000/count", T0);
        _devices.Record(Machine(7), "mes/plant1/assembly/m7/count", T0.AddSeconds(1)); // a listed one still updates.

        Assert.Equal(UnknownDevices.Capacity, _devices.List().Count);
        Assert.Equal(3, _devices.Overflow);
        Assert.Equal(new UnknownDevice("plant1/assembly/m7", "mes/plant1/assembly/m7/count", T0, T0.AddSeconds(1), 2), _devices.List()[0]);

        _devices.Forget("plant1/assembly/m7");
        _devices.Record(Machine(1001), "mes/plant1/assembly/m1001/count", T0.AddSeconds(2));
        Assert.Equal("plant1/assembly/m1001", _devices.List()[0].MachinePath);
        Assert.Equal(3, _devices.Overflow);
    }

    private static EquipmentPath Machine(int i) => EquipmentPath.ForMachine("plant1", "assembly", $"m{i}");
}
