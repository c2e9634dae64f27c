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
    public bool Enabled { get; set; } = true;

    public int Port { get; set; } = 1883;

    /// <summary>When set, clients must sign in with this name and <see cref="Password"/>; otherwise anonymous clients are accepted.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Messages queued per subscribing client before the broker drops the oldest: raised far above MQTTnet's default.</summary>
    public int MaxPendingMessagesPerClient { get; set; } = 250_000;
}
