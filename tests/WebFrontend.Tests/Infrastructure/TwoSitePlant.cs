using MesOrleans.Plant;

namespace MesOrleans.WebFrontend.Tests.Infrastructure;

/// <summary>The web test plant with a second site, <see cref="OtherSite"/>, laid out like the first.</summary>
public static class TwoSitePlant
{
    public const string OtherSite = "plant2";

    public static PlantModel Model { get; } = WebPlant.Model with
    {
        Sites = [WebPlant.Model.Sites[0], WebPlant.Model.Sites[0] with { Id = OtherSite, Name = "Plant 2" }],
    };

    public static string MachineUrl(string site, string machine) => $"/api/sites/{site}/lines/{WebPlant.Line}/machines/{machine}";

    public static string Topic(string site, string machine, string signal) => $"mes/{site}/{WebPlant.Line}/{machine}/{signal}";
}
