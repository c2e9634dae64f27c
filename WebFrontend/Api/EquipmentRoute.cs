using MesOrleans.Errors;
using MesOrleans.Plant;

namespace MesOrleans.WebFrontend.Api;

/// <summary>Turns route values into an equipment path; ids that cannot exist answer 404 like unknown ones.</summary>
internal static class EquipmentRoute
{
    public static EquipmentPath Site(string site) => Segments(site);

    public static EquipmentPath Line(string site, string line) => Segments(site, line);

    public static EquipmentPath Machine(string site, string line, string machine) => Segments(site, line, machine);

    private static EquipmentPath Segments(params string[] ids) =>
        EquipmentPath.TryParse(string.Join('/', ids), out var path) && path.ToString().Split('/').Length == ids.Length
            ? path
            : throw MesCommandException.NotFound($"'{string.Join('/', ids)}' is not an equipment path of this plant.");
}
