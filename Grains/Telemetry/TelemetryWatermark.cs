namespace MesOrleans.Telemetry;

/// <summary>
/// Where a machine's telemetry stands: the counter cursor, the number of the last queue message applied, and what
/// the machine has shown it sends. It is appended with the events a message caused (or alone, when a message caused
/// none), so after a crash a redelivered message is recognised and no part is counted twice or missed. Stored as JSON
/// (System.Text.Json): its shape never changes without a migration.
/// </summary>
public sealed record TelemetryWatermark
{
    public TelemetryCursor Cursor { get; init; } = new();

    /// <summary>The telemetry queue's number of the last message applied; 0 before the first.</summary>
    public long QueueOffset { get; init; }

    /// <summary>The machine sends counts: people record scrap, not good parts.</summary>
    public bool CountsByTelemetry { get; init; }

    /// <summary>The machine sends states; without them, a silence in counts opens a stop.</summary>
    public bool ReportsState { get; init; }

    /// <summary>When the last telemetry message arrived, and the newest event time seen.</summary>
    public DateTimeOffset? LastArrival { get; init; }

    public DateTimeOffset? LastTime { get; init; }

    /// <summary>When the last count that added parts arrived, and the newest event time of such counts.</summary>
    public DateTimeOffset? LastCountArrival { get; init; }

    public DateTimeOffset? LastCountTime { get; init; }
}
