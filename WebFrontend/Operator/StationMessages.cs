using MesOrleans.Plant;

namespace MesOrleans.WebFrontend.Operator;

/// <summary>What the MES answers, told to an operator: machines by the names on their plates, not by internal paths.</summary>
public static class StationMessages
{
    /// <summary>The message with every mention of <paramref name="machine"/> by path replaced by its name.</summary>
    public static string ForOperator(string message, EquipmentPath machine, string name)
    {
        var path = machine.ToString();
        return message
            .Replace($"Machine '{path}'", name, StringComparison.Ordinal)
            .Replace($"'{path}'", name, StringComparison.Ordinal)
            .Replace(path, name, StringComparison.Ordinal);
    }
}
