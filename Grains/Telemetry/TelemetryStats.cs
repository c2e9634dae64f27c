using System.Diagnostics.Metrics;

namespace MesOrleans.Telemetry;

/// <summary>
/// What happened to the telemetry a silo received, for the API (<see cref="Snapshot"/>) and for metrics (meter
/// <see cref="MeterName"/>). One per silo; thread-safe. Each message is received and then either rejected with its
/// reason or accepted (handed to its machine); of the accepted ones, the machine counts as duplicates the repeats
/// and late counts that change nothing.
/// </summary>
public sealed class TelemetryStats
{
    public const string MeterName = "MesOrleans.Telemetry";

    private readonly long[] _rejected = new long[Enum.GetValues<TelemetryRejectReason>().Length];
    private readonly Counter<long> _receivedCounter;
    private readonly Counter<long> _acceptedCounter;
    private readonly Counter<long> _duplicatesCounter;
    private readonly Counter<long> _rejectedCounter;
    private readonly Counter<long> _redeliveredCounter;
    private readonly Histogram<double> _eventAge;
    private long _received;
    private long _accepted;
    private long _duplicates;
    private long _redelivered;

    public TelemetryStats(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _receivedCounter = meter.CreateCounter<long>("mes.telemetry.received", "{message}", "Telemetry messages received");
        _acceptedCounter = meter.CreateCounter<long>("mes.telemetry.accepted", "{message}", "Telemetry messages accepted");
        _duplicatesCounter = meter.CreateCounter<long>(
            "mes.telemetry.duplicates", "{message}", "Valid telemetry messages already counted: repeats and late counts");
        _rejectedCounter = meter.CreateCounter<long>("mes.telemetry.rejected", "{message}", "Telemetry messages dropped, by reason");
        _redeliveredCounter = meter.CreateCounter<long>(
            "mes.telemetry.redelivered", "{message}", "Queued telemetry delivered again after a restart and recognised as applied already");
        _eventAge = meter.CreateHistogram<double>(
            EventAgeInstrument, "ms", "Age of a telemetry event when its machine applied it: publish-to-applied latency for live devices");
    }

    public const string EventAgeInstrument = "mes.telemetry.event_age";

    internal void RecordApplied(TimeSpan eventAge) => _eventAge.Record(eventAge.TotalMilliseconds);

    internal void RecordReceived()
    {
        Interlocked.Increment(ref _received);
        _receivedCounter.Add(1);
    }

    internal void RecordAccepted()
    {
        Interlocked.Increment(ref _accepted);
        _acceptedCounter.Add(1);
    }

    internal void RecordDuplicate()
    {
        Interlocked.Increment(ref _duplicates);
        _duplicatesCounter.Add(1);
    }

    internal void RecordRedelivered()
    {
        Interlocked.Increment(ref _redelivered);
        _redeliveredCounter.Add(1);
    }

    internal void RecordRejected(TelemetryRejectReason reason)
    {
        Interlocked.Increment(ref _rejected[(int)reason]);
        _rejectedCounter.Add(1, new KeyValuePair<string, object?>("reason", reason.CamelCaseName()));
    }

    /// <summary>
    /// The counters now. They are read one by one, outcomes before <c>Received</c>, so under load
    /// <c>Received</c> may exceed the sum of the outcomes by the messages still in flight, never fall below it.
    /// </summary>
    public TelemetryStatsSnapshot Snapshot()
    {
        var rejected = new Dictionary<string, long>();
        for (var i = 0; i < _rejected.Length; i++)
        {
            var count = Interlocked.Read(ref _rejected[i]);
            if (count > 0)
            {
                rejected[((TelemetryRejectReason)i).CamelCaseName()] = count;
            }
        }

        var accepted = Interlocked.Read(ref _accepted);
        var duplicates = Interlocked.Read(ref _duplicates);
        return new TelemetryStatsSnapshot(Interlocked.Read(ref _received), accepted, duplicates, rejected, Interlocked.Read(ref _redelivered));
    }
}
