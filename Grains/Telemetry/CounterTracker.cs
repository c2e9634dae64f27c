namespace MesOrleans.Telemetry;

/// <summary>
/// The telemetry contract's de-duplication and counter rules (DESIGN.md, "Telemetry contract") as a pure function.
/// Counters are cumulative, so a lost count is caught up by the next, and a repeated or late one adds nothing.
/// </summary>
internal static class CounterTracker
{
    public static TelemetryDecision Decide(TelemetryCursor cursor, TelemetryEvent telemetryEvent)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(telemetryEvent);
        if (IsRepeatedSequence(cursor, telemetryEvent))
        {
            return new TelemetryDecision(cursor, TelemetryClassification.Duplicate, 0, 0);
        }

        var sequenced = AfterSequence(cursor, telemetryEvent);
        return telemetryEvent.Signal switch
        {
            // The grain orders states by event time itself; only repeats are dropped here.
            TelemetrySignal.State => new TelemetryDecision(sequenced, TelemetryClassification.Applied, 0, 0),
            TelemetrySignal.Count => DecideCount(sequenced, telemetryEvent),
            _ => throw new ArgumentException($"Unknown signal {telemetryEvent.Signal}.", nameof(telemetryEvent)),
        };
    }

    // At or below the last sequence and not newer: seen before. Lower but newer: the sender restarted its numbering.
    private static bool IsRepeatedSequence(TelemetryCursor cursor, TelemetryEvent telemetryEvent) =>
        telemetryEvent.Sequence is { } sequence
        && cursor.Sequence is { } last
        && sequence <= last
        && telemetryEvent.Timestamp <= cursor.SequenceTimestamp;

    private static TelemetryCursor AfterSequence(TelemetryCursor cursor, TelemetryEvent telemetryEvent)
    {
        if (telemetryEvent.Sequence is not { } sequence)
        {
            return cursor;
        }

        // Keeping the newest time, not the last one, lets a late message with a higher number not reopen the door to
        // repeats of newer messages.
        var newest = cursor.SequenceTimestamp is { } last && last > telemetryEvent.Timestamp ? last : telemetryEvent.Timestamp;
        return cursor with { Sequence = sequence, SequenceTimestamp = newest };
    }

    private static TelemetryDecision DecideCount(TelemetryCursor cursor, TelemetryEvent count)
    {
        var total = count.Total ?? throw new ArgumentException("A count event carries a total.", nameof(count));
        var scrap = count.Scrap;
        var applied = cursor with { Total = total, Scrap = scrap ?? cursor.Scrap, CountTimestamp = count.Timestamp };
        if (cursor.Total is not { } lastTotal || cursor.CountTimestamp is not { } lastTimestamp)
        {
            return new TelemetryDecision(applied, TelemetryClassification.Baseline, 0, 0);
        }

        // An absent scrap means unchanged, so it matches any last scrap.
        var sameValues = total == lastTotal && (scrap is null || scrap == cursor.Scrap);
        if (count.Timestamp <= lastTimestamp && sameValues)
        {
            return new TelemetryDecision(cursor, TelemetryClassification.Duplicate, 0, 0);
        }

        // Older: the newest cumulative value already holds these parts. At the same time the order is unknown, so a
        // lower value is taken as the older one too: mistaking it for a reset would count its whole value again.
        if (count.Timestamp < lastTimestamp || (count.Timestamp == lastTimestamp && (total < lastTotal || scrap < cursor.Scrap)))
        {
            return new TelemetryDecision(cursor, TelemetryClassification.OutOfOrder, 0, 0);
        }

        // An absent scrap keeps the last one in the cursor: if the PLC reset scrap as well, its next scrap is lower
        // than that and counts as a scrap reset then.
        if (total < lastTotal)
        {
            return new TelemetryDecision(applied, TelemetryClassification.Reset, total, scrap ?? 0);
        }

        return new TelemetryDecision(applied, TelemetryClassification.Applied, total - lastTotal, ScrapDelta(cursor.Scrap, scrap));
    }

    private static long ScrapDelta(long? last, long? scrap) => (last, scrap) switch
    {
        (_, null) => 0, // absent: unchanged.
        (null, _) => 0, // the first scrap value ever is its baseline, as the first count is.
        ({ } before, { } now) when now >= before => now - before,

        // Scrap fell while the total did not: the PLC reset its scrap counter alone, so the new value is the delta.
        (_, { } now) => now,
    };
}
