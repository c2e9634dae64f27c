namespace MesOrleans.WebFrontend.Components.Operator;

/// <summary>Operators sign in with their number; screens show it as such.</summary>
public static class OperatorName
{
    public static string Show(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Nobody signed in" : name.All(char.IsAsciiDigit) ? $"Operator {name}" : name;
}
