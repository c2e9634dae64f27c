using MesOrleans.Plant;

namespace MesOrleans.WebFrontend.Security.Access;

/// <summary>The sites an admin may grant roles at, bind stations to or issue tokens for, as pickers list them.</summary>
public static class SiteChoices
{
    public static IReadOnlyList<(string Id, string Name)> Administered(PlantView plant, MesAccess admin) =>
        (admin.IsEnterpriseAdmin ? [(MesRoles.AllSites, "All sites")] : Array.Empty<(string, string)>())
            .Concat(plant.Model.Sites.Where(s => admin.Administers(s.Id)).Select(s => (s.Id, s.Name)))
            .ToList();
}
