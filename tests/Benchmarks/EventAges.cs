using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MesOrleans.Telemetry;

namespace MesOrleans.Benchmarks;

/// <summary>Collects the machine grains' event-age histogram: publish-to-applied latency, since the publisher stamps ts.</summary>
internal sealed class EventAges : IDisposable
{
    private readonly MeterListener _listener = new();
    private ConcurrentQueue<double> _ages = new();

    public EventAges()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TelemetryStats.MeterName && instrument.Name == TelemetryStats.EventAgeInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _ages.Enqueue(value));
        _listener.Start();
    }

    public void Reset() => _ages = new ConcurrentQueue<double>();

    public (double P50, double P99, int Count) Percentiles()
    {
        var sorted = _ages.ToArray();
        Array.Sort(sorted);
        return sorted.Length == 0
            ? (double.NaN, double.NaN, 0)
            : (sorted[(int)(sorted.Length * 0.50)], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], sorted.Length);
    }

    public void Dispose() => _listener.Dispose();
}
