using MesOrleans.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MesOrleans.Tests.Telemetry;

public sealed class TelemetryContractTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void The_stats_snapshot_crosses_the_wire()
    {
        var snapshot = new TelemetryStatsSnapshot(10, 6, 1, new Dictionary<string, long> { ["malformedJson"] = 2, ["tooOld"] = 1 });

        var copy = RoundTrip(snapshot);

        Assert.Equal((10L, 6L, 1L), (copy.Received, copy.Accepted, copy.Duplicates));
        Assert.Equal(snapshot.Rejected, copy.Rejected);
    }

    [Fact]
    public void An_unknown_device_crosses_the_wire()
    {
        var seen = new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
        var device = new UnknownDevice("plant1/assembly/ghost", "mes/plant1/assembly/ghost/count", seen, seen.AddMinutes(1), 42);

        Assert.Equal(device, RoundTrip(device));
    }

    private T RoundTrip<T>(T value)
        where T : class
    {
        var serializer = _services.GetRequiredService<Serializer>();
        return serializer.Deserialize<T>(serializer.SerializeToArray(value)) ?? throw new InvalidOperationException("Read back null.");
    }
}
