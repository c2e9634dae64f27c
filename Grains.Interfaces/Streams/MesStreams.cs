namespace MesOrleans.Streams;

/// <summary>The names of the MES streams, in one place for producers and consumers.</summary>
public static class MesStreams
{
    /// <summary>
    /// The durable stream provider of machine telemetry: its queue is a table (SQLite standalone, PostgreSQL in a
    /// cluster), so a message a device was told is received survives a crash until its machine grain applied it.
    /// </summary>
    public const string TelemetryProvider = "telemetry";

    /// <summary>
    /// The stream provider of live views for screens: memory streams, because a screen that missed a status reads
    /// the grain again; nothing on it is a record.
    /// </summary>
    public const string LiveProvider = "live";

    /// <summary>Telemetry from machines; the stream key is the machine's equipment path.</summary>
    public const string Telemetry = "telemetry";

    /// <summary>Live machine status for the UI; the stream key is the site id.</summary>
    public const string Live = "live";

    /// <summary>Changes of a site's work orders for the UI (<c>WorkOrderChange</c>); the stream key is the site id.</summary>
    public const string Orders = "orders";
}
