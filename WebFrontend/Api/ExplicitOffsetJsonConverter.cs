using System.Text.Json;
using System.Text.Json.Serialization;

namespace MesOrleans.WebFrontend.Api;

/// <summary>Reads request times only with an explicit offset (<see cref="ExplicitOffset"/>); writes them as ISO 8601 as before.</summary>
public sealed class ExplicitOffsetJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return ExplicitOffset.TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' {ExplicitOffset.Rule}.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
