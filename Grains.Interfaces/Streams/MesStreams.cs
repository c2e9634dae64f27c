namespace MesOrleans.Streams;

/// <summary>The names of the MES streams, in one place for producers and consumers.</summary>
public static class MesStreams
{
    /// <summary>
    /// The stream provider: memory streams (not durable; MQTT QoS 1 is the at-least-once path). Its name must differ
    /// from every grain storage's: Orleans keeps a provider's pub-sub state in the storage of the same name before
    /// "PubSubStore", and subscriptions kept in the SQLite store outlived the web server that made them (after a
    /// restart the streams tried to deliver to the old client: ClientNotAvailableException).
    /// </summary>
    public const string Provider = "mes-streams";

    /// <summary>Telemetry from machines; the stream key is the machine's equipment path.</summary>
    public const string Telemetry = "telemetry";

    /// <summary>Live machine status for the UI; the stream key is the site id.</summary>
    public const string Live = "live";
}
