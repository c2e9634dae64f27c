using System.Buffers;
using System.Text.Json;

namespace MesOrleans.Storage;

/// <summary>
/// JSON written as UTF-8 into one buffer that is used again and again, to bind as text with
/// <see cref="SqliteStatement.BindUtf8Text"/> without a string or an array per value. One writer at a time.
/// </summary>
internal sealed class Utf8Json
{
    private readonly JsonSerializerOptions _options;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;

    public Utf8Json(JsonSerializerOptions options)
    {
        _options = options;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented });
    }

    /// <summary>The value as JSON, the same text <see cref="JsonSerializer.Serialize{T}(T, JsonSerializerOptions?)"/> gives; valid until the next call.</summary>
    public ReadOnlySpan<byte> Write<T>(T value)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, value, _options);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }
}
