using System.Diagnostics.Metrics;
using MesOrleans.Telemetry;
using MesOrleans.Telemetry.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MesOrleans.Hosting.Metrics;

/// <summary>
/// The telemetry queue as gauges (meter <see cref="TelemetryStats.MeterName"/>), read from the queue's own counters at
/// each scrape: no query, no grain call. A web app that is only a client has no queue and reports none.
/// </summary>
internal sealed class TelemetryQueueGauges(IMeterFactory meters, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = meters.Create(TelemetryStats.MeterName);
        meter.CreateObservableGauge(
            "mes.telemetry.queue.depth", () => Observe(queue => queue.Depth), "{message}",
            "Telemetry messages in the durable queue, not yet applied by their machines");
        meter.CreateObservableGauge(
            "mes.telemetry.queue.alarm", () => Observe(queue => (long)queue.Alarm), null,
            "The telemetry queue's alarm: 0 none, 1 slowing devices down, 2 full (refusing), 3 writes failing");
        meter.CreateObservableCounter(
            "mes.telemetry.queue.refused", () => Observe(queue => queue.Refused), "{message}",
            "Telemetry messages the full queue refused: their devices were not acknowledged and send them again");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> Observe(Func<TelemetryQueue, long> read) =>
        services.GetService<TelemetryQueue>() is { } queue ? [new Measurement<long>(read(queue))] : [];
}
