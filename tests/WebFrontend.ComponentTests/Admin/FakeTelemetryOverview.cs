using MesOrleans.Telemetry;
using MesOrleans.WebFrontend.Telemetry;

namespace MesOrleans.WebFrontend.ComponentTests.Admin;

/// <summary>A telemetry overview with the unknown devices a test says were heard from.</summary>
internal sealed class FakeTelemetryOverview : ITelemetryOverviewSource
{
    private readonly List<UnknownDevice> _devices = [];

    public void Heard(string machinePath, string topic)
    {
        var now = DateTimeOffset.UtcNow;
        _devices.Add(new UnknownDevice(machinePath, topic, now, now, 1));
    }

    public Task<TelemetryOverview> GetAsync() =>
        Task.FromResult(new TelemetryOverview(new TelemetryStatsSnapshot(0, 0, 0, new Dictionary<string, long>()), null, [.. _devices], []));
}
