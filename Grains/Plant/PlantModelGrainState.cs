namespace MesOrleans.Plant;

/// <summary>The persisted master data: the current model and which machines were ever known or named by the file.</summary>
public sealed class PlantModelGrainState
{
    public long Version { get; set; }

    public PlantModel Model { get; set; } = PlantModel.Empty;

    /// <summary>Every machine path ever applied: those missing from the current model are retired.</summary>
    public HashSet<string> KnownMachines { get; set; } = [];

    /// <summary>The machine paths the last plant model file named.</summary>
    public HashSet<string> FileMachines { get; set; } = [];
}
