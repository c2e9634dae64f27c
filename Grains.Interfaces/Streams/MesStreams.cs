namespace MesOrleans.Streams;

/// <summary>The names of the MES streams, in one place for producers and consumers.</summary>
public static class MesStreams
{
    /// <summary>The stream provider: memory streams (not durable; MQTT QoS 1 is the at-least-once path).</summary>
    public const string Provider = "mes";

    /// <summary>Telemetry from machines; the stream key is the machine's equipment path.</summary>
    public const string Telemetry = "telemetry";

    /// <summary>Live machine status for the UI; the stream key is the site id.</summary>
    public const string Live = "live";
}
