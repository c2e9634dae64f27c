using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace MesOrleans.Plant;

/// <summary>
/// The ISA-95 equipment path of a site, line or machine: <c>plant1</c>, <c>plant1/assembly</c>,
/// <c>plant1/assembly/press-3</c>. It is the grain key of the equipment and the tail of its MQTT topics.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.EquipmentPath")]
public readonly record struct EquipmentPath
{
    // Checked on every telemetry message's topic: a vectorised search, not a per-character delegate.
    private static readonly SearchValues<char> SegmentCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private EquipmentPath(string site, string? line, string? machine)
    {
        Site = site;
        Line = line;
        Machine = machine;
    }

    /// <summary>The site id.</summary>
    [Id(0)] public string Site { get; }

    /// <summary>The line id within the site, or null for a site path.</summary>
    [Id(1)] public string? Line { get; }

    /// <summary>The machine id within the line, or null for a site or line path.</summary>
    [Id(2)] public string? Machine { get; }

    /// <summary>The path of a site.</summary>
    public static EquipmentPath ForSite(string site) => new(Checked(site, nameof(site)), null, null);

    /// <summary>The path of a line.</summary>
    public static EquipmentPath ForLine(string site, string line) =>
        new(Checked(site, nameof(site)), Checked(line, nameof(line)), null);

    /// <summary>The path of a machine.</summary>
    public static EquipmentPath ForMachine(string site, string line, string machine) =>
        new(Checked(site, nameof(site)), Checked(line, nameof(line)), Checked(machine, nameof(machine)));

    /// <summary>True for a machine path.</summary>
    public bool IsMachine => Machine is not null;

    /// <summary>True for a line path.</summary>
    public bool IsLine => Line is not null && Machine is null;

    /// <summary>The line this machine belongs to.</summary>
    public EquipmentPath LinePath => ForLine(Site, Line ?? throw new InvalidOperationException($"'{this}' has no line."));

    /// <summary>The site this equipment belongs to.</summary>
    public EquipmentPath SitePath => ForSite(Site);

    /// <summary>
    /// True when <paramref name="id"/> can be one segment of a path: 1 to 64 characters of lower- or upper-case
    /// letters, digits, '-' and '_'. Such ids are safe in MQTT topics (no '/', '+', '#') and URLs.
    /// </summary>
    public static bool IsValidSegment([NotNullWhen(true)] string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && !id.AsSpan().ContainsAnyExcept(SegmentCharacters);

    /// <summary>Parses a path of one to three segments.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out EquipmentPath path)
    {
        path = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var parts = text.Split('/');
        if (parts.Length > 3 || !Array.TrueForAll(parts, IsValidSegment))
        {
            return false;
        }

        path = new EquipmentPath(parts[0], parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2));
        return true;
    }

    /// <summary>Parses a path, throwing <see cref="FormatException"/> when it is not one.</summary>
    public static EquipmentPath Parse(string text) =>
        TryParse(text, out var path) ? path : throw new FormatException($"'{text}' is not an equipment path like 'site/line/machine'.");

    /// <inheritdoc />
    public override string ToString() => (Line, Machine) switch
    {
        (null, _) => Site,
        (_, null) => $"{Site}/{Line}",
        _ => $"{Site}/{Line}/{Machine}",
    };

    private static string Checked(string id, string name) =>
        IsValidSegment(id) ? id : throw new ArgumentException($"'{id}' is not a valid id: use letters, digits, '-' and '_'.", name);
}
