namespace MesOrleans.Plant;

/// <summary>
/// Owns the plant's master data. Applying a model creates and updates the sites, lines and machines it names
/// and retires machines it no longer names (hidden, history kept): nothing recorded is ever deleted.
/// There is one per cluster, keyed <see cref="Key"/>.
/// </summary>
[Alias("mes.IPlantModelGrain")]
public interface IPlantModelGrain : IGrainWithStringKey
{
    /// <summary>The key of the one plant-model grain.</summary>
    const string Key = "plant";

    /// <summary>The current model and its version (0 before anything was applied).</summary>
    [Alias("GetModel")]
    Task<PlantModelSnapshot> GetModelAsync();

    /// <summary>
    /// Validates and applies a model. An invalid model throws <see cref="Errors.MesCommandException"/> with every
    /// problem and changes nothing.
    /// </summary>
    [Alias("Apply")]
    Task<PlantModelSnapshot> ApplyAsync(PlantModel model);
}
