using MesOrleans.Plant;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;

namespace MesOrleans.WebFrontend.Admin;

/// <summary>Where the admin page reads the plant model and applies a new one (the plant-model grain; a fake in component tests).</summary>
public interface IPlantModelStore
{
    Task<PlantModelSnapshot> GetAsync();

    /// <summary>Validates and applies the whole model; throws <see cref="Errors.MesCommandException"/> with every problem and changes nothing.</summary>
    Task<PlantModelSnapshot> ApplyAsync(PlantModel model);
}

/// <summary>The plant model through the plant-model grain: the same validation as PUT /api/plant.</summary>
public sealed class PlantModelStore(IGrainFactory grains, CircuitCommands commands) : IPlantModelStore
{
    public Task<PlantModelSnapshot> GetAsync() => Plant.GetModelAsync();

    public Task<PlantModelSnapshot> ApplyAsync(PlantModel model) =>
        commands.RunAsync(MesPolicies.PlantModel, MesRoles.AllSites, "plant.apply", "plant model",
            $"{model.Sites?.Count ?? 0} sites, {model.Sites?.Sum(s => s.Lines?.Sum(l => l.Machines?.Count ?? 0) ?? 0) ?? 0} machines", null, () => Plant.ApplyAsync(model));

    private IPlantModelGrain Plant => grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key);
}
