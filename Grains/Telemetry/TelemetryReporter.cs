using MesOrleans.Plant;
using MesOrleans.Telemetry.Queue;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace MesOrleans.Telemetry;

/// <summary>
/// Reports this silo's telemetry figures to the <see cref="ITelemetryOverviewGrain"/> about once a second when they
/// changed (at least every ten seconds, so the overview knows the silo is there), so that a web app that is only a
/// client sees the whole cluster's figures.
/// </summary>
internal sealed partial class TelemetryReporter(
    IGrainFactory grains,
    ILocalSiloDetails silo,
    TelemetryStats stats,
    UnknownDevices unknownDevices,
    TelemetryQueue queue,
    PlantCatalog catalog,
    TimeProvider time,
    ILogger<TelemetryReporter> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(10);

    private ITimer? _timer;
    private SiloTelemetryReport? _last;
    private DateTimeOffset _lastSent;
    private int _reporting;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<TelemetryReporter>(ServiceLifecycleStage.Active, Start, Stop);

    public void Dispose() => _timer?.Dispose();

    private Task Start(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => _ = ReportAsync(), null, TimeSpan.Zero, Period);
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    private async Task ReportAsync()
    {
        // A report still on its way (a slow cluster) is not overtaken by the next one.
        if (Interlocked.Exchange(ref _reporting, 1) == 1)
        {
            return;
        }

        try
        {
            var plant = await catalog.GetCurrentAsync();
            foreach (var known in unknownDevices.List().Where(d => EquipmentPath.TryParse(d.MachinePath, out var m) && plant.Machine(m) is not null))
            {
                unknownDevices.Forget(known.MachinePath);
            }

            var now = time.GetUtcNow();
            var report = new SiloTelemetryReport(silo.Name, now, stats.Snapshot(), await queue.StatusAsync(), unknownDevices.List());
            if (_last is not null && now - _lastSent < MaxSilence && SameFigures(_last, report))
            {
                return;
            }

            await grains.GetGrain<ITelemetryOverviewGrain>(ITelemetryOverviewGrain.Key).ReportAsync(report);
            _last = report;
            _lastSent = now;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The overview is for people; ingestion goes on without it, and the next report brings it up to date.
            LogReportFailed(logger, exception);
        }
        finally
        {
            Volatile.Write(ref _reporting, 0);
        }
    }

    private static bool SameFigures(SiloTelemetryReport a, SiloTelemetryReport b) =>
        a.Stats.Received == b.Stats.Received && a.Stats.Accepted == b.Stats.Accepted && a.Stats.Duplicates == b.Stats.Duplicates
        && a.Stats.Redelivered == b.Stats.Redelivered && a.Stats.Rejected.Values.Sum() == b.Stats.Rejected.Values.Sum()
        && a.Queue == b.Queue && a.UnknownDevices.SequenceEqual(b.UnknownDevices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report this silo's telemetry figures; trying again")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
