using System.Globalization;
using System.Reflection;
using MesOrleans.Hosting;
using MesOrleans.Simulator;
using Microsoft.Extensions.Hosting;

namespace MesOrleans.Cluster.Tests.Deploy;

/// <summary>
/// The settings the apps read, from their options classes (every class with a <c>SectionName</c>): a deployment file
/// that names anything else names a setting that does nothing, usually a typo.
/// </summary>
internal static class KnownSettings
{
    // Read by ASP.NET Core and the hosts themselves, or helpers that other variables refer to (Kubernetes' $(POD_IP)).
    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "Urls", "POD_IP", "POD_NAME",
        "ConnectionStrings:" + MesClusterOptions.ConnectionStringName,
    };

    private static readonly Dictionary<string, Type> Sections = FindSections();

    /// <summary>Why <paramref name="key"/> (as an environment variable, <c>__</c> for <c>:</c>) is wrong, or null.</summary>
    public static string? Problem(string key, string? value)
    {
        var path = key.Replace("__", ":", StringComparison.Ordinal);
        if (HostKeys.Contains(path))
        {
            return null;
        }

        var section = Sections.Keys
            .Where(s => path.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase))
            .MaxBy(s => s.Length);
        if (section is null)
        {
            return $"{key}: no options class reads a section of it";
        }

        var type = Sections[section];
        foreach (var name in path[(section.Length + 1)..].Split(':'))
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return $"{key}: {type.Name} has no property {name}";
            }

            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        return value is null || value.Contains('$') || Parses(type, value) ? null : $"{key}: '{value}' is not a valid {type.Name}";
    }

    public static TimeSpan ParseDuration(string value) => TimeSpan.Parse(value, CultureInfo.InvariantCulture);

    private static bool Parses(Type type, string value) => type switch
    {
        _ when type.IsEnum => Enum.TryParse(type, value, ignoreCase: true, out _),
        _ when type == typeof(bool) => bool.TryParse(value, out _),
        _ when type == typeof(int) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(double) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(TimeSpan) => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _),
        _ => type == typeof(string),
    };

    private static Dictionary<string, Type> FindSections()
    {
        var sections = new[] { typeof(MesOptions).Assembly, typeof(SimulatorOptions).Assembly, typeof(MesOrleans.WebFrontend.Security.AuthOptions).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
            .ToDictionary(x => (string)x.Field!.GetRawConstantValue()!, x => x.Type, StringComparer.OrdinalIgnoreCase);
        sections["HostOptions"] = typeof(HostOptions);
        return sections;
    }
}
