using MesOrleans.Plant;
using MesOrleans.Testing;

namespace MesOrleans.WebFrontend.Tests.Infrastructure;

/// <summary>
/// The web plant with a second site, and a user per role at each site, to check that every route keeps its sites
/// apart. User names are <c>{role}-{site}</c>; everyone has <see cref="Password"/>.
/// </summary>
public static class TwoSites
{
    public const string Other = "plant2";
    public const string Password = "Role-pass-1!";

    public static PlantModel Model { get; } = WebPlant.Model with
    {
        Sites = [.. WebPlant.Model.Sites, WebPlant.Model.Sites[0] with { Id = Other, Name = "Plant 2" }],
    };

    public static string UserName(string role, string site) => $"{role}-{site}";

    /// <summary>Starts the app and adds the users: one per role at each site.</summary>
    public static async Task<MesApp> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = MesApp.StartWith(Model, settings);
        foreach (var site in new[] { WebPlant.Site, Other })
        {
            foreach (var role in MesOrleans.WebFrontend.Security.Access.MesRoles.All)
            {
                await app.AddUserAsync(UserName(role, site), Password, $"{role}@{site}");
            }
        }

        return app;
    }
}
