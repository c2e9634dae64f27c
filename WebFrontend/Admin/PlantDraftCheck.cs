using System.Text.Json;
using MesOrleans.Errors;
using MesOrleans.Plant;

namespace MesOrleans.WebFrontend.Admin;

/// <summary>Checks a draft as the plant-model grain will, so that problems show up at their fields while the admin types.</summary>
public static class PlantDraftCheck
{
    /// <summary>
    /// Every problem of <paramref name="model"/>, by the very validation that <c>ApplyAsync</c> and PUT /api/plant run:
    /// the document reader is that validation's public door, so the model goes through it as its document.
    /// </summary>
    public static IReadOnlyList<ValidationProblem> Problems(PlantModel model) => PlantModelJson.Read(PlantModelJson.Write(model)).Problems;

    /// <summary>
    /// Reads an uploaded plant model file. A valid file gives its model; an invalid one gives its problems, and also its
    /// model when it could at least be parsed, so that the problems can be shown at the fields.
    /// </summary>
    public static (PlantModel? Model, IReadOnlyList<ValidationProblem> Problems) Import(string json)
    {
        var result = PlantModelJson.Read(json);
        if (result.IsValid)
        {
            return (result.Model, []);
        }

        try
        {
            return (JsonSerializer.Deserialize<PlantModel>(json, PlantModelJson.Options), result.Problems);
        }
        catch (JsonException)
        {
            return (null, result.Problems);
        }
    }
}
