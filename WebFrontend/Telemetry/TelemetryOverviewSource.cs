using MesOrleans.Telemetry;

namespace MesOrleans.WebFrontend.Telemetry;

/// <summary>Where pages read the cluster's telemetry overview (the overview grain; a fake in component tests).</summary>
public interface ITelemetryOverviewSource
{
    Task<TelemetryOverview> GetAsync();
}

/// <summary>The telemetry overview through its grain, which every silo reports to.</summary>
public sealed class TelemetryOverviewSource(IGrainFactory grains) : ITelemetryOverviewSource
{
    public Task<TelemetryOverview> GetAsync() => grains.GetGrain<ITelemetryOverviewGrain>(ITelemetryOverviewGrain.Key).GetAsync();
}
