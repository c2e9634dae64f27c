namespace MesOrleans.Telemetry;

/// <summary>What the parser accepts.</summary>
/// <param name="TopicPrefix">The topic levels before the site, e.g. <c>mes</c> or <c>acme/mes</c>.</param>
/// <param name="MaxEventAge">How far an event's time may lie before its arrival (edge devices replay buffered data).</param>
/// <param name="MaxFutureSkew">How far an event's time may lie after its arrival (device clocks run ahead).</param>
internal sealed record TelemetryParserSettings(string TopicPrefix, TimeSpan MaxEventAge, TimeSpan MaxFutureSkew);
