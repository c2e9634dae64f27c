namespace MesOrleans.Telemetry;

/// <summary>The outcome of one message: the machine's new cursor, what the message was, and the parts it adds.</summary>
internal readonly record struct TelemetryDecision(
    TelemetryCursor Cursor,
    TelemetryClassification Classification,
    long TotalDelta,
    long ScrapDelta)
{
    /// <summary>True for what <see cref="TelemetryStats.RecordDuplicate"/> counts: nothing new in it.</summary>
    public bool IsDuplicate => Classification is TelemetryClassification.Duplicate or TelemetryClassification.OutOfOrder;
}
