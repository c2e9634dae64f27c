namespace MesOrleans.Telemetry;

/// <summary>
/// What a machine grain remembers of its telemetry to drop repeats and to turn cumulative counters into deltas.
/// Part of the grain's persisted state (System.Text.Json): its shape never changes without a migration.
/// </summary>
public sealed record TelemetryCursor
{
    /// <summary>The cumulative total of the newest count, or null before the first one.</summary>
    public long? Total { get; init; }

    /// <summary>The newest cumulative scrap reported, or null while the device never sent one.</summary>
    public long? Scrap { get; init; }

    /// <summary>The event time of the newest count.</summary>
    public DateTimeOffset? CountTimestamp { get; init; }

    /// <summary>The sequence number of the last message applied that had one.</summary>
    public long? Sequence { get; init; }

    /// <summary>The newest event time among the messages applied with a sequence number.</summary>
    public DateTimeOffset? SequenceTimestamp { get; init; }
}
