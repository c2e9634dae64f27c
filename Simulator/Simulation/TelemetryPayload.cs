using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MesOrleans.Machines;

namespace MesOrleans.Simulator;

/// <summary>Writes the JSON payloads of the telemetry contract.</summary>
internal static class TelemetryPayload
{
    /// <summary>ISO 8601 in UTC with milliseconds, the resolution of simulated time.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string State(DateTimeOffset timestamp, MachineState state, string? reason, long sequence) =>
        Write(writer =>
        {
            writer.WriteString("ts", Format(timestamp));
            writer.WriteString("state", Name(state));
            if (reason is not null)
            {
                writer.WriteString("reason", reason);
            }

            writer.WriteNumber("seq", sequence);
        });

    public static string Count(DateTimeOffset timestamp, long total, long scrap, long sequence) =>
        Write(writer =>
        {
            writer.WriteString("ts", Format(timestamp));
            writer.WriteNumber("total", total);
            writer.WriteNumber("scrap", scrap);
            writer.WriteNumber("seq", sequence);
        });

    /// <summary>The contract's name of a state: <c>running</c>, <c>down</c>, ….</summary>
    public static string Name(MachineState state) => state.ToString().ToLowerInvariant();

    public static string Format(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
