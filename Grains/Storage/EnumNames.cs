namespace MesOrleans.Storage;

/// <summary>Enum values by name, as the stores write them, without formatting a new string per row.</summary>
internal static class EnumNames<T>
    where T : struct, Enum
{
    private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(value => value, value => value.ToString());

    /// <summary>The value's name, the same as <see cref="Enum.ToString()"/> gives.</summary>
    public static string Of(T value) => Names.TryGetValue(value, out var name) ? name : value.ToString();
}
