using System.Buffers;
using System.Text;
using System.Text.Json;
using MesOrleans.Machines;
using MesOrleans.Plant;

namespace MesOrleans.Telemetry;

/// <summary>
/// Turns an MQTT message into a <see cref="TelemetryEvent"/> or a reject reason. It runs for every message (tens of
/// thousands a second), so it reads the payload with <see cref="Utf8JsonReader"/> straight from the broker's buffer:
/// no document, no strings for property names, and bad input costs no more than good input. Thread-safe.
/// </summary>
internal sealed class TelemetryParser
{
    /// <summary>The largest payload accepted; real messages are under 200 bytes.</summary>
    public const int MaxPayloadBytes = 4 * 1024;

    /// <summary>The largest cumulative count accepted: far beyond any machine, far below overflow when summed.</summary>
    public const long MaxCount = 1_000_000_000_000_000;

    /// <summary>The longest reason code accepted, in characters.</summary>
    public const int MaxReasonLength = 32;

    private const string StateNames = "running, idle, down, planned, changeover, offline";

    // Longer than any ISO 8601 timestamp the reader accepts without escapes.
    private const int MaxTimestampBytes = 64;

    // Longer than any state name, so a longer value is rejected without being copied.
    private const int MaxStateBytes = 16;

    // A reason of 32 characters written entirely as \uXXXX escapes; its UTF-8 form is never longer.
    private const int MaxReasonBytes = MaxReasonLength * 6;

    private readonly TelemetryParserSettings _settings;
    private readonly Func<EquipmentPath, bool> _isKnownMachine;

    public TelemetryParser(TelemetryParserSettings settings, Func<EquipmentPath, bool> isKnownMachine)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(isKnownMachine);
        if (!TelemetryTopic.IsValidPrefix(settings.TopicPrefix))
        {
            throw new ArgumentException(
                $"'{settings.TopicPrefix}' is not a topic prefix: use one or more levels like 'mes' or 'acme/mes', without '+' or '#'.",
                nameof(settings));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxEventAge, TimeSpan.Zero, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxFutureSkew, TimeSpan.Zero, nameof(settings));
        _settings = settings;
        _isKnownMachine = isKnownMachine;
    }

    private enum Field
    {
        Other,
        Timestamp,
        Sequence,
        State,
        Reason,
        Total,
        Scrap,
    }

    public TelemetryParseResult Parse(string topic, ReadOnlySequence<byte> payload, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var parsedTopic = TelemetryTopic.Parse(topic, _settings.TopicPrefix);
        if (parsedTopic.Reject is { } topicReject)
        {
            return TelemetryParseResult.Rejected(topicReject, parsedTopic.Detail!, parsedTopic.Machine);
        }

        var machine = parsedTopic.Machine!.Value;
        if (!_isKnownMachine(machine))
        {
            return TelemetryParseResult.Rejected(TelemetryRejectReason.UnknownMachine, $"'{machine}' is not in the plant model", machine);
        }

        if (payload.Length > MaxPayloadBytes)
        {
            return TelemetryParseResult.Rejected(
                TelemetryRejectReason.PayloadTooLarge, $"payload of {payload.Length} bytes exceeds {MaxPayloadBytes}", machine);
        }

        if (payload.IsEmpty)
        {
            // Also how MQTT clears a retained message: nothing to record either way.
            return TelemetryParseResult.Rejected(TelemetryRejectReason.MalformedJson, "payload is empty", machine);
        }

        PayloadFields fields;
        try
        {
            fields = Read(payload, parsedTopic.Signal);
        }
        catch (JsonException e)
        {
            return TelemetryParseResult.Rejected(TelemetryRejectReason.MalformedJson, $"payload is not JSON: {e.Message}", machine);
        }
        catch (InvalidOperationException)
        {
            // How the reader reports strings that are not Unicode: invalid UTF-8 or an unpaired surrogate escape.
            return TelemetryParseResult.Rejected(TelemetryRejectReason.MalformedJson, "payload has text that is not valid UTF-8 or Unicode", machine);
        }

        return Validate(fields, machine, parsedTopic.Signal, receivedAt);
    }

    private TelemetryParseResult Validate(in PayloadFields fields, EquipmentPath machine, TelemetrySignal signal, DateTimeOffset receivedAt)
    {
        if (fields.Malformed is { } malformed)
        {
            return TelemetryParseResult.Rejected(TelemetryRejectReason.MalformedJson, malformed, machine);
        }

        if (fields.Invalid is { } invalid)
        {
            return TelemetryParseResult.Rejected(TelemetryRejectReason.InvalidField, invalid, machine);
        }

        if (fields.Timestamp is not { } timestamp)
        {
            return TelemetryParseResult.Rejected(TelemetryRejectReason.MissingField, "ts is required", machine);
        }

        if (signal == TelemetrySignal.State && fields.State is null)
        {
            return TelemetryParseResult.Rejected(TelemetryRejectReason.MissingField, "state is required", machine);
        }

        if (signal == TelemetrySignal.Count && fields.Total is null)
        {
            return TelemetryParseResult.Rejected(TelemetryRejectReason.MissingField, "total is required", machine);
        }

        if (fields.Scrap > fields.Total)
        {
            return TelemetryParseResult.Rejected(
                TelemetryRejectReason.InvalidField, $"scrap {fields.Scrap} is more than total {fields.Total}", machine);
        }

        // Differences rather than receivedAt ± limit: those could fall off the calendar.
        if (receivedAt - timestamp > _settings.MaxEventAge)
        {
            return TelemetryParseResult.Rejected(
                TelemetryRejectReason.TooOld, $"ts {timestamp:O} is more than {_settings.MaxEventAge} before its arrival", machine);
        }

        if (timestamp - receivedAt > _settings.MaxFutureSkew)
        {
            return TelemetryParseResult.Rejected(
                TelemetryRejectReason.InFuture, $"ts {timestamp:O} is more than {_settings.MaxFutureSkew} after its arrival", machine);
        }

        var telemetryEvent = new TelemetryEvent(machine.ToString(), signal, timestamp.ToUniversalTime(), receivedAt)
        {
            State = fields.State,
            ReasonCode = fields.Reason,
            Total = fields.Total,
            Scrap = fields.Scrap,
            Sequence = fields.Sequence,
        };
        return TelemetryParseResult.Accepted(telemetryEvent, machine);
    }

    private static PayloadFields Read(ReadOnlySequence<byte> payload, TelemetrySignal signal)
    {
        var reader = new Utf8JsonReader(payload, default(JsonReaderOptions));
        var fields = default(PayloadFields);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            fields.Malformed = "payload is not a JSON object";
            return fields;
        }

        // The reader throws on anything that is not well-formed, so this loop ends at the object's end.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader, signal);
            reader.Read();

            // The first invalid field is the one reported; the rest is still read to tell bad JSON from bad fields.
            if (field != Field.Other && fields.Invalid is null)
            {
                ReadField(ref reader, field, ref fields);
            }

            // Steps over nested values: extras devices send, or an object where a number belongs.
            reader.Skip();
        }

        // Throws when anything but whitespace follows the object.
        _ = reader.Read();
        return fields;
    }

    private static Field FieldOf(ref Utf8JsonReader reader, TelemetrySignal signal)
    {
        if (reader.ValueTextEquals("ts"u8))
        {
            return Field.Timestamp;
        }

        if (reader.ValueTextEquals("seq"u8))
        {
            return Field.Sequence;
        }

        // Fields of the other signal are extras like any other.
        return signal switch
        {
            TelemetrySignal.State when reader.ValueTextEquals("state"u8) => Field.State,
            TelemetrySignal.State when reader.ValueTextEquals("reason"u8) => Field.Reason,
            TelemetrySignal.Count when reader.ValueTextEquals("total"u8) => Field.Total,
            TelemetrySignal.Count when reader.ValueTextEquals("scrap"u8) => Field.Scrap,
            _ => Field.Other,
        };
    }

    // JSON null is the same as an absent field: serializers write null for unset optional values.
    private static void ReadField(ref Utf8JsonReader reader, Field field, ref PayloadFields fields)
    {
        var isNull = reader.TokenType == JsonTokenType.Null;
        switch (field)
        {
            case Field.Timestamp:
                fields.Timestamp = isNull ? null : ReadTimestamp(ref reader, ref fields);
                break;
            case Field.Sequence:
                fields.Sequence = isNull ? null : ReadWholeNumber(ref reader, long.MaxValue, "seq", ref fields);
                break;
            case Field.State:
                fields.State = isNull ? null : ReadState(ref reader, ref fields);
                break;
            case Field.Reason:
                fields.Reason = isNull ? null : ReadReason(ref reader, ref fields);
                break;
            case Field.Total:
                fields.Total = isNull ? null : ReadWholeNumber(ref reader, MaxCount, "total", ref fields);
                break;
            case Field.Scrap:
                fields.Scrap = isNull ? null : ReadWholeNumber(ref reader, MaxCount, "scrap", ref fields);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field, "Not a telemetry field.");
        }
    }

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, ref PayloadFields fields)
    {
        if (reader.TokenType == JsonTokenType.String && RawLength(ref reader) <= MaxTimestampBytes)
        {
            Span<byte> buffer = stackalloc byte[MaxTimestampBytes];
            var text = buffer[..reader.CopyString(buffer)];

            // Without an offset the instant would depend on the receiving server's time zone.
            var time = text.IndexOf((byte)'T');
            if (time >= 0 && text[time..].IndexOfAny("Z+-"u8) >= 0 && reader.TryGetDateTimeOffset(out var timestamp))
            {
                return timestamp;
            }
        }

        fields.Invalid = "ts must be an ISO 8601 timestamp with an offset or Z, e.g. 2026-11-25T06:00:00Z";
        return null;
    }

    private static MachineState? ReadState(ref Utf8JsonReader reader, ref PayloadFields fields)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            fields.Invalid = $"state must be a string: one of {StateNames}";
            return null;
        }

        if (RawLength(ref reader) > MaxStateBytes)
        {
            fields.Invalid = $"state is not one of {StateNames}";
            return null;
        }

        Span<byte> buffer = stackalloc byte[MaxStateBytes];
        var text = buffer[..reader.CopyString(buffer)];
        MachineState? state =
            Ascii.EqualsIgnoreCase(text, "running"u8) ? MachineState.Running
            : Ascii.EqualsIgnoreCase(text, "idle"u8) ? MachineState.Idle
            : Ascii.EqualsIgnoreCase(text, "down"u8) ? MachineState.Down
            : Ascii.EqualsIgnoreCase(text, "planned"u8) ? MachineState.Planned
            : Ascii.EqualsIgnoreCase(text, "changeover"u8) ? MachineState.Changeover
            : Ascii.EqualsIgnoreCase(text, "offline"u8) ? MachineState.Offline
            : null;
        if (state is null)
        {
            fields.Invalid = $"state '{Encoding.UTF8.GetString(text)}' is not one of {StateNames}";
        }

        return state;
    }

    private static string? ReadReason(ref Utf8JsonReader reader, ref PayloadFields fields)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            fields.Invalid = "reason must be a string";
            return null;
        }

        if (RawLength(ref reader) <= MaxReasonBytes)
        {
            Span<byte> buffer = stackalloc byte[MaxReasonBytes];
            var text = buffer[..reader.CopyString(buffer)];
            if (Encoding.UTF8.GetCharCount(text) <= MaxReasonLength)
            {
                // An empty reason code is no reason code.
                return text.IsEmpty ? null : Encoding.UTF8.GetString(text);
            }
        }

        fields.Invalid = $"reason is longer than {MaxReasonLength} characters";
        return null;
    }

    private static long? ReadWholeNumber(ref Utf8JsonReader reader, long max, string name, ref PayloadFields fields)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= 0 && value <= max)
        {
            return value;
        }

        fields.Invalid = $"{name} must be a whole number from 0 to {max}";
        return null;
    }

    private static long RawLength(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;

    /// <summary>What the payload said, or what was wrong with it.</summary>
    private struct PayloadFields
    {
        public DateTimeOffset? Timestamp;
        public long? Sequence;
        public MachineState? State;
        public string? Reason;
        public long? Total;
        public long? Scrap;
        public string? Malformed;
        public string? Invalid;
    }
}
