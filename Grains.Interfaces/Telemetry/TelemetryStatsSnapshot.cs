namespace MesOrleans.Telemetry;

/// <summary>
/// The telemetry counters of one silo since it started. Every message received ends up in exactly one of
/// <see cref="Accepted"/>, <see cref="Duplicates"/> or <see cref="Rejected"/>.
/// </summary>
/// <param name="Received">Messages that arrived on a telemetry topic.</param>
/// <param name="Accepted">Messages that were valid and counted.</param>
/// <param name="Duplicates">Valid messages already counted: repeats and late (out-of-order) counts.</param>
/// <param name="Rejected">Dropped messages by reason in camelCase (e.g. <c>malformedJson</c>); reasons with none are left out.</param>
/// <param name="Redelivered">
/// Queued messages delivered again after a restart that their machine had applied before it: skipped, counted once.
/// </param>
[GenerateSerializer, Immutable, Alias("mes.TelemetryStatsSnapshot")]
public sealed record TelemetryStatsSnapshot(
    [property: Id(0)] long Received,
    [property: Id(1)] long Accepted,
    [property: Id(2)] long Duplicates,
    [property: Id(3)] IReadOnlyDictionary<string, long> Rejected,
    [property: Id(4)] long Redelivered = 0);
