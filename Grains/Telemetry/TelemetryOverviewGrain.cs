using MesOrleans.Plant;

namespace MesOrleans.Telemetry;

/// <inheritdoc cref="ITelemetryOverviewGrain" />
/// <remarks>
/// Keeps the latest report of each silo in memory only: the figures count since each silo started, so there is
/// nothing to keep across a restart, and silos report again within a second.
/// </remarks>
internal sealed class TelemetryOverviewGrain(PlantCatalog catalog, TimeProvider time) : Grain, ITelemetryOverviewGrain
{
    private static readonly TimeSpan SiloGoneAfter = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, (SiloTelemetryReport Report, DateTimeOffset Received)> _silos = [];

    public Task ReportAsync(SiloTelemetryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _silos[report.Silo] = (report, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public async Task<TelemetryOverview> GetAsync()
    {
        var now = time.GetUtcNow();
        foreach (var gone in _silos.Where(s => now - s.Value.Received > SiloGoneAfter).Select(s => s.Key).ToList())
        {
            _silos.Remove(gone);
        }

        var reports = _silos.Values.Select(s => s.Report).OrderBy(r => r.Silo, StringComparer.Ordinal).ToList();
        var rejected = new Dictionary<string, long>();
        foreach (var (reason, count) in reports.SelectMany(r => r.Stats.Rejected))
        {
            rejected[reason] = rejected.GetValueOrDefault(reason) + count;
        }

        var stats = new TelemetryStatsSnapshot(
            reports.Sum(r => r.Stats.Received),
            reports.Sum(r => r.Stats.Accepted),
            reports.Sum(r => r.Stats.Duplicates),
            rejected,
            reports.Sum(r => r.Stats.Redelivered));

        // A device whose machine was added to the plant since a silo heard it is no longer unknown.
        var plant = await catalog.GetCurrentAsync();
        var unknown = reports
            .SelectMany(r => r.UnknownDevices)
            .Where(d => !EquipmentPath.TryParse(d.MachinePath, out var machine) || plant.Machine(machine) is null)
            .GroupBy(d => d.MachinePath)
            .Select(g => new UnknownDevice(g.Key, g.MaxBy(d => d.LastSeen)!.Topic, g.Min(d => d.FirstSeen), g.Max(d => d.LastSeen), g.Sum(d => d.Messages)))
            .OrderByDescending(d => d.LastSeen)
            .ThenBy(d => d.MachinePath, StringComparer.Ordinal)
            .ToList();

        // In a cluster every silo sees the one shared queue: the freshest view stands for it.
        var queue = reports.MaxBy(r => r.At)?.Queue;
        return new TelemetryOverview(stats, queue, unknown, reports);
    }
}
