using MesOrleans.Plant;

namespace MesOrleans.Telemetry;

/// <summary>
/// A telemetry topic <c>{prefix}/{site}/{line}/{machine}/{signal}</c> taken apart, or why it cannot be.
/// <see cref="Machine"/> is set whenever the machine's levels are valid, even for an unknown signal.
/// </summary>
internal readonly record struct TelemetryTopic(
    EquipmentPath? Machine,
    TelemetrySignal Signal,
    TelemetryRejectReason? Reject,
    string? Detail)
{
    public bool IsValid => Reject is null;

    /// <summary>
    /// True for a prefix of one or more topic levels separated by '/', e.g. <c>mes</c> or <c>acme/mes</c>:
    /// no empty level and no MQTT wildcard, so that it can start both topics and subscription filters.
    /// </summary>
    public static bool IsValidPrefix(string? prefix) =>
        !string.IsNullOrEmpty(prefix)
        && !prefix.Split('/').Any(string.IsNullOrEmpty)
        && prefix.IndexOfAny(['+', '#', '\0']) < 0;

    /// <summary>The MQTT subscription filter that matches every telemetry topic under <paramref name="prefix"/>.</summary>
    public static string SubscriptionFilter(string prefix) => $"{prefix}/+/+/+/+";

    /// <summary>The topic a machine publishes a signal on.</summary>
    public static string Format(string prefix, EquipmentPath machine, TelemetrySignal signal)
    {
        if (!machine.IsMachine)
        {
            throw new ArgumentException($"'{machine}' is not a machine path.", nameof(machine));
        }

        return $"{prefix}/{machine}/{SignalLevel(signal)}";
    }

    public static TelemetryTopic Parse(string topic, string prefix)
    {
        // Slicing spans: the only strings made are the three ids a valid machine path needs.
        var span = topic.AsSpan();
        if (!span.StartsWith(prefix, StringComparison.Ordinal) || span.Length <= prefix.Length || span[prefix.Length] != '/')
        {
            return Rejected(TelemetryRejectReason.BadTopic, $"topic does not start with '{prefix}/'");
        }

        var rest = span[(prefix.Length + 1)..];
        Span<Range> levels = stackalloc Range[5];
        if (rest.Split(levels, '/') != 4)
        {
            return Rejected(TelemetryRejectReason.BadTopic, $"topic is not '{prefix}/{{site}}/{{line}}/{{machine}}/{{signal}}'");
        }

        var site = rest[levels[0]].ToString();
        var line = rest[levels[1]].ToString();
        var machineId = rest[levels[2]].ToString();
        if (!EquipmentPath.IsValidSegment(site) || !EquipmentPath.IsValidSegment(line) || !EquipmentPath.IsValidSegment(machineId))
        {
            return Rejected(TelemetryRejectReason.BadTopic, "site, line and machine ids must be 1 to 64 letters, digits, '-' or '_'");
        }

        var machine = EquipmentPath.ForMachine(site, line, machineId);
        var signal = rest[levels[3]];
        return signal switch
        {
            "state" => new TelemetryTopic(machine, TelemetrySignal.State, null, null),
            "count" => new TelemetryTopic(machine, TelemetrySignal.Count, null, null),
            _ => new TelemetryTopic(machine, default, TelemetryRejectReason.UnknownSignal, "signal is not 'state' or 'count'"),
        };
    }

    private static string SignalLevel(TelemetrySignal signal) => signal switch
    {
        TelemetrySignal.State => "state",
        TelemetrySignal.Count => "count",
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Not a telemetry signal."),
    };

    private static TelemetryTopic Rejected(TelemetryRejectReason reason, string detail) => new(null, default, reason, detail);
}
