using System.Diagnostics.Metrics;
using MesOrleans.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace MesOrleans.Tests.Telemetry;

public sealed class TelemetryStatsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void A_new_silo_has_counted_nothing()
    {
        var snapshot = new TelemetryStats(_services.GetRequiredService<IMeterFactory>()).Snapshot();

        Assert.Equal((0L, 0L, 0L), (snapshot.Received, snapshot.Accepted, snapshot.Duplicates));
        Assert.Empty(snapshot.Rejected);
    }

    [Fact]
    public void The_snapshot_counts_outcomes_and_names_only_the_reasons_that_occurred_in_camel_case()
    {
        var stats = new TelemetryStats(_services.GetRequiredService<IMeterFactory>());
        Record(stats, received: 10, accepted: 4, duplicates: 2);
        stats.RecordRejected(TelemetryRejectReason.MalformedJson);
        stats.RecordRejected(TelemetryRejectReason.MalformedJson);
        stats.RecordRejected(TelemetryRejectReason.PayloadTooLarge);
        stats.RecordRejected(TelemetryRejectReason.BadTopic);

        var snapshot = stats.Snapshot();

        Assert.Equal((10L, 4L, 2L), (snapshot.Received, snapshot.Accepted, snapshot.Duplicates));
        Assert.Equal(
            new Dictionary<string, long> { ["malformedJson"] = 2, ["payloadTooLarge"] = 1, ["badTopic"] = 1 },
            snapshot.Rejected);
        Assert.Equal(snapshot.Received, snapshot.Accepted + snapshot.Duplicates + snapshot.Rejected.Values.Sum());
    }

    [Fact]
    public void Every_reason_has_a_camel_case_name()
    {
        var names = Enum.GetValues<TelemetryRejectReason>().Select(reason => reason.CamelCaseName()).ToList();

        Assert.Equal(
            ["badTopic", "unknownSignal", "unknownMachine", "malformedJson", "missingField", "invalidField", "tooOld", "inFuture", "payloadTooLarge"],
            names);
    }

    [Fact]
    public void Concurrent_recording_loses_nothing()
    {
        var stats = new TelemetryStats(_services.GetRequiredService<IMeterFactory>());

        Parallel.For(0, 10_000, i =>
        {
            stats.RecordReceived();
            if (i % 2 == 0)
            {
                stats.RecordAccepted();
            }
            else
            {
                stats.RecordRejected(TelemetryRejectReason.TooOld);
            }
        });

        var snapshot = stats.Snapshot();
        Assert.Equal((10_000L, 5_000L, 5_000L), (snapshot.Received, snapshot.Accepted, snapshot.Rejected["tooOld"]));
    }

    [Fact]
    public void Publishes_counters_on_the_telemetry_meter_with_the_reason_as_a_tag()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        var measured = new List<(string Instrument, long Value, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            // Only this test's meter: other tests' stats publish on meters of the same name.
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == TelemetryStats.MeterName)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = tags.ToArray().Where(tag => tag.Key == "reason").Select(tag => tag.Value as string).SingleOrDefault();
            measured.Add((instrument.Name, value, reason));
        });
        var stats = new TelemetryStats(factory);
        listener.Start();

        Record(stats, received: 3, accepted: 1, duplicates: 1);
        stats.RecordRejected(TelemetryRejectReason.UnknownMachine);

        Assert.Equal(
            [
                ("mes.telemetry.received", 1L, null), ("mes.telemetry.received", 1L, null), ("mes.telemetry.received", 1L, null),
                ("mes.telemetry.accepted", 1L, null), ("mes.telemetry.duplicates", 1L, null),
                ("mes.telemetry.rejected", 1L, "unknownMachine"),
            ],
            measured);
    }

    private static void Record(TelemetryStats stats, int received, int accepted, int duplicates)
    {
        for (var i = 0; i < received; i++)
        {
            stats.RecordReceived();
        }

        for (var i = 0; i < accepted; i++)
        {
            stats.RecordAccepted();
        }

        for (var i = 0; i < duplicates; i++)
        {
            stats.RecordDuplicate();
        }
    }
}
