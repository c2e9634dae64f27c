using MesOrleans.Testing;
using YamlDotNet.RepresentationModel;

namespace MesOrleans.Cluster.Tests.Deploy;

/// <summary>Reads the files under <c>deploy/</c>: YAML documents, systemd units and environment files.</summary>
internal static class DeployFiles
{
    public static string Folder(params string[] parts) => Repository.PathOf(["deploy", .. parts]);

    public static List<YamlMappingNode> Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(path);
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    /// <summary><c>KEY=VALUE</c> lines of an environment file, without comments.</summary>
    public static Dictionary<string, string> EnvironmentFile(string path) =>
        File.ReadLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    /// <summary>A unit file's <c>Key=Value</c> lines by section, e.g. <c>Service:Type</c>; repeated keys keep every value.</summary>
    public static ILookup<string, string> Unit(string path)
    {
        var section = "";
        var entries = new List<(string Key, string Value)>();
        foreach (var line in File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith('['))
            {
                section = line.Trim('[', ']');
                continue;
            }

            var parts = line.Split('=', 2);
            entries.Add(($"{section}:{parts[0]}", parts[1]));
        }

        return entries.ToLookup(e => e.Key, e => e.Value);
    }

    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.Get(path) is YamlSequenceNode sequence ? sequence.Children : [];

    /// <summary>A compose environment mapping with its <c>&lt;&lt;</c> merges applied.</summary>
    public static Dictionary<string, string?> Merged(YamlMappingNode mapping)
    {
        var result = new Dictionary<string, string?>();
        foreach (var (key, value) in mapping.Children)
        {
            if (((YamlScalarNode)key).Value == "<<")
            {
                foreach (var (k, v) in Merged((YamlMappingNode)value))
                {
                    result.TryAdd(k, v);
                }
            }
        }

        foreach (var (key, value) in mapping.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name != "<<")
            {
                result[name] = (value as YamlScalarNode)?.Value;
            }
        }

        return result;
    }
}
