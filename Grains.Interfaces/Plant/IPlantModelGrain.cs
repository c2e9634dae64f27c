using Orleans.Concurrency;

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

    /// <summary>
    /// The current model and its version (0 before anything was applied). Interleaves, because grains that an
    /// apply configures may ask for the model while the apply is still under way.
    /// </summary>
    [Alias("GetModel"), AlwaysInterleave]
    Task<PlantModelSnapshot> GetModelAsync();

    /// <summary>
    /// Validates and applies a model. An invalid model throws <see cref="Errors.MesCommandException"/> with every
    /// problem and changes nothing.
    /// </summary>
    [Alias("Apply")]
    Task<PlantModelSnapshot> ApplyAsync(PlantModel model);

    /// <summary>
    /// Applies the plant model file at start-up: what the file names is added or updated (the file wins for
    /// those items), machines that the previous file named and this one does not are retired, and items added
    /// since by other edits are kept. Validation as <see cref="ApplyAsync"/>.
    /// </summary>
    [Alias("ApplyFile")]
    Task<PlantModelSnapshot> ApplyFileAsync(PlantModel fileModel);
}
