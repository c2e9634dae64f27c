using MesOrleans.Plant;

namespace MesOrleans.Telemetry;

/// <summary>
/// Either a valid <see cref="Event"/> or a <see cref="Reject"/> reason with a short <see cref="Detail"/> for the log.
/// <see cref="Machine"/> is set whenever the topic named a machine, so that unknown devices can be listed.
/// </summary>
internal readonly record struct TelemetryParseResult(
    TelemetryEvent? Event,
    TelemetryRejectReason? Reject,
    string? Detail,
    EquipmentPath? Machine)
{
    public static TelemetryParseResult Accepted(TelemetryEvent telemetryEvent, EquipmentPath machine) =>
        new(telemetryEvent, null, null, machine);

    public static TelemetryParseResult Rejected(TelemetryRejectReason reason, string detail, EquipmentPath? machine) =>
        new(null, reason, detail, machine);
}
