using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace MesOrleans.Storage;

/// <summary>
/// How grain state is written in both modes (SQLite and PostgreSQL): JSON without type names, enums by name. Renaming
/// or moving a state type does not break the rows already written, and a state row reads the same in either store.
/// </summary>
internal sealed class GrainStateJson : IGrainStorageSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input, Options);

    public T? Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options);
}
