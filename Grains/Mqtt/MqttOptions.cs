namespace MesOrleans.Mqtt;

/// <summary>The <c>Mes:Mqtt</c> section: where telemetry comes from.</summary>
public sealed class MqttOptions
{
    public const string SectionName = "Mes:Mqtt";

    /// <summary>Telemetry topics are <c>{TopicPrefix}/{site}/{line}/{machine}/{signal}</c>.</summary>
    public string TopicPrefix { get; set; } = "mes";

    /// <summary>The external broker (used when the embedded one is off).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>Silos sharing this group split the traffic: each message is applied once.</summary>
    public string SharedSubscriptionGroup { get; set; } = "mes";

    /// <summary>
    /// How many unacknowledged messages the external broker may send a silo (MQTT 5 receive maximum): when the
    /// silo is slower than the traffic, the broker queues instead of the silo dropping.
    /// </summary>
    public int MaxInFlight { get; set; } = 1000;

    public EmbeddedBrokerOptions EmbeddedBroker { get; set; } = new();
}

/// <summary>The <c>Mes:Mqtt:EmbeddedBroker</c> section: the MQTTnet broker inside the silo (standalone default).</summary>
public sealed class EmbeddedBrokerOptions
{
    /// <summary>
    /// Run the broker inside the silo. Unset: on in standalone mode, off in a cluster (whose silos share an external
    /// broker through <see cref="MqttOptions.Host"/>).
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Whether the broker runs in a silo of <paramref name="mode"/>.</summary>
    public bool RunsIn(Hosting.MesMode mode) => Enabled ?? mode == Hosting.MesMode.Standalone;

    public int Port { get; set; } = 1883;

    /// <summary>
    /// The address the broker listens on: <c>*</c> (every interface, IPv4 and IPv6, as before this setting existed)
    /// or one IP address, e.g. <c>127.0.0.1</c> when only local gateways may connect.
    /// </summary>
    public string BindAddress { get; set; } = "*";

    /// <summary>
    /// When set, clients may sign in with this name and <see cref="Password"/> and may publish and subscribe to any
    /// topic; anonymous clients are then refused, as they are once any device account exists.
    /// </summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The largest MQTT packet a client may send (bytes); a larger one closes its connection.</summary>
    public int MaxPacketSize { get; set; } = 256 * 1024;

    /// <summary>Messages queued per subscribing client before the broker drops the oldest: raised far above MQTTnet's default.</summary>
    public int MaxPendingMessagesPerClient { get; set; } = 250_000;

    /// <summary>
    /// Bytes (topics and payloads) queued for one subscribing client, sent or not yet acknowledged; past it, new
    /// messages for that client are dropped, as Mosquitto's <c>max_queued_bytes</c> does.
    /// </summary>
    public long MaxQueuedBytesPerClient { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Which retained messages the broker keeps: any topic by default, as Mosquitto does, because plants hang their
    /// SCADA and dashboards on this broker and retain their own topics; the two bounds below keep the memory in check.
    /// </summary>
    public RetainedTopics RetainedTopics { get; set; } = RetainedTopics.All;

    /// <summary>At most this many retained messages are kept; a new retained topic past it is delivered but not kept.</summary>
    public int MaxRetainedMessages { get; set; } = 10_000;

    /// <summary>At most this many bytes (topics and payloads) of retained messages are kept.</summary>
    public long MaxRetainedBytes { get; set; } = 16L * 1024 * 1024;
}

/// <summary>Which retained messages the embedded broker keeps in memory.</summary>
public enum RetainedTopics
{
    /// <summary>None: the retain flag is ignored.</summary>
    None,

    /// <summary>Only telemetry topics (under the topic prefix): a machine's last state waits for new subscribers.</summary>
    Telemetry,

    /// <summary>Any topic, as a general-purpose broker does.</summary>
    All,
}
