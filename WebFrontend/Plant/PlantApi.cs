using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Plant;

/// <summary>The plant model document: read it, or replace it with the same validation as the file at start.</summary>
public static class PlantApi
{
    public static RouteGroupBuilder MapPlantApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/plant").WithTags("Plant model").RequireAuthorization(MesPolicies.PlantModel);

        api.MapGet("", async (IGrainFactory grains) =>
        {
            var snapshot = await Plant(grains).GetModelAsync();
            return TypedResults.Text(PlantModelJson.Write(snapshot.Model), "application/json");
        });

        // The body is read as text so that malformed JSON is reported with its path like every other problem.
        api.MapPut("", async Task<Ok<PlantModelApplied>> (HttpRequest request, IGrainFactory grains) =>
        {
            using var reader = new StreamReader(request.Body);
            var result = PlantModelJson.Read(await reader.ReadToEndAsync());
            if (!result.IsValid)
            {
                throw MesCommandException.Invalid($"The plant model has {result.Problems.Count} problem(s).", result.Problems);
            }

            var snapshot = await Plant(grains).ApplyAsync(result.Model!);
            return TypedResults.Ok(new PlantModelApplied(snapshot.Version, snapshot.RetiredMachines));
        }).Accepts<PlantModel>("application/json");

        return api;
    }

    private static IPlantModelGrain Plant(IGrainFactory grains) => grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key);
}

/// <summary>What applying a plant model did.</summary>
public sealed record PlantModelApplied(long Version, IReadOnlyList<string> RetiredMachines);
