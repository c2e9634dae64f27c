namespace MesOrleans.Telemetry;

/// <summary>
/// What telemetry the whole cluster took, refused and queued, and which devices send for machines the plant does not
/// have: every silo reports its own figures about once a second, and this grain adds them up. Figures count since each
/// silo started; a silo that stopped reporting drops out after half a minute.
/// </summary>
[Alias("mes.ITelemetryOverviewGrain")]
public interface ITelemetryOverviewGrain : IGrainWithIntegerKey
{
    /// <summary>The one overview of the cluster.</summary>
    public const long Key = 0;

    /// <summary>A silo's figures now (replaces its previous report).</summary>
    [Alias("Report")]
    Task ReportAsync(SiloTelemetryReport report);

    /// <summary>The sums over the silos reporting, and their reports.</summary>
    [Alias("Get")]
    Task<TelemetryOverview> GetAsync();
}

/// <summary>One silo's telemetry figures.</summary>
/// <param name="Silo">The silo's name.</param>
/// <param name="At">When the silo took these figures.</param>
/// <param name="Stats">Its counters since it started.</param>
/// <param name="Queue">The telemetry queue as this silo sees it (in a cluster all silos share one).</param>
/// <param name="UnknownDevices">Machines it received telemetry for that the plant model does not have.</param>
[GenerateSerializer, Immutable, Alias("mes.SiloTelemetryReport")]
public sealed record SiloTelemetryReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] TelemetryStatsSnapshot Stats,
    [property: Id(3)] TelemetryQueueStatus Queue,
    [property: Id(4)] IReadOnlyList<UnknownDevice> UnknownDevices);

/// <summary>The cluster's telemetry: counters summed over the silos, the queue, and unknown devices merged.</summary>
[GenerateSerializer, Immutable, Alias("mes.TelemetryOverview")]
public sealed record TelemetryOverview(
    [property: Id(0)] TelemetryStatsSnapshot Stats,
    [property: Id(1)] TelemetryQueueStatus? Queue,
    [property: Id(2)] IReadOnlyList<UnknownDevice> UnknownDevices,
    [property: Id(3)] IReadOnlyList<SiloTelemetryReport> Silos);
