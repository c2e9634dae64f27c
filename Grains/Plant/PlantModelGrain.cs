using MesOrleans.Errors;
using MesOrleans.Lines;
using MesOrleans.Machines;
using MesOrleans.Sites;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Plant;

/// <inheritdoc cref="IPlantModelGrain" />
internal sealed class PlantModelGrain(
    [PersistentState("plant", MesStorage.Name)] IPersistentState<PlantModelGrainState> state,
    PlantCatalog catalog,
    ILogger<PlantModelGrain> logger) : Grain, IPlantModelGrain
{
    public Task<PlantModelSnapshot> GetModelAsync() => Task.FromResult(Snapshot());

    public Task<PlantModelSnapshot> ApplyAsync(PlantModel model) => ApplyCoreAsync(model, fileMachines: null);

    public Task<PlantModelSnapshot> ApplyFileAsync(PlantModel fileModel)
    {
        ThrowIfInvalid(fileModel);
        var merged = PlantModelMerge.Merge(state.State.Model, fileModel, state.State.FileMachines);
        return ApplyCoreAsync(merged, MachinePaths(fileModel));
    }

    private async Task<PlantModelSnapshot> ApplyCoreAsync(PlantModel model, HashSet<string>? fileMachines)
    {
        ThrowIfInvalid(model);

        var machines = MachinePaths(model);
        state.State.KnownMachines.UnionWith(machines);
        state.State.Model = model;
        state.State.Version++;
        if (fileMachines is not null)
        {
            state.State.FileMachines = fileMachines;
        }

        await state.WriteStateAsync();

        var snapshot = Snapshot();
        var view = catalog.Publish(snapshot);
        await ConfigureEquipmentAsync(view);
        logger.LogInformation(
            "Plant model version {Version} applied: {Sites} sites, {Machines} machines, {Retired} retired",
            snapshot.Version, model.Sites.Count, machines.Count, snapshot.RetiredMachines.Count);
        return snapshot;
    }

    // Configure is idempotent: if this fan-out is interrupted, applying the model again completes it.
    private Task ConfigureEquipmentAsync(PlantView view)
    {
        var calls = new List<Task>();
        foreach (var site in view.Model.Sites)
        {
            calls.Add(GrainFactory.GetGrain<ISiteGrain>(site.Id).ConfigureAsync(
                new SiteConfig(site.Name, site.TimeZone, site.Shifts, site.Lines.Select(l => l.Id).ToList())));
            foreach (var line in site.Lines)
            {
                var linePath = EquipmentPath.ForLine(site.Id, line.Id);
                calls.Add(GrainFactory.GetGrain<ILineGrain>(linePath.ToString()).ConfigureAsync(
                    new LineConfig(
                        line.Name,
                        line.Machines.Select(m => EquipmentPath.ForMachine(site.Id, line.Id, m.Id).ToString()).ToList(),
                        view.CountingMachineOf(linePath)?.ToString())));
                calls.AddRange(line.Machines.Select(m => GrainFactory
                    .GetGrain<IMachineGrain>(EquipmentPath.ForMachine(site.Id, line.Id, m.Id).ToString())
                    .ConfigureAsync(PlantView.ConfigOf(m), view.Version)));
            }
        }

        calls.AddRange(view.RetiredMachines.Select(m => GrainFactory.GetGrain<IMachineGrain>(m).RetireAsync(view.Version)));
        return Task.WhenAll(calls);
    }

    private PlantModelSnapshot Snapshot()
    {
        var current = MachinePaths(state.State.Model);
        var retired = state.State.KnownMachines.Where(m => !current.Contains(m)).Order(StringComparer.Ordinal).ToList();
        return new PlantModelSnapshot(state.State.Version, state.State.Model, retired);
    }

    private static void ThrowIfInvalid(PlantModel model)
    {
        var problems = PlantModelValidator.Validate(model);
        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid($"The plant model has {problems.Count} problem(s).", problems);
        }
    }

    private static HashSet<string> MachinePaths(PlantModel model) =>
        model.Sites
            .SelectMany(s => s.Lines.SelectMany(l => l.Machines.Select(m => EquipmentPath.ForMachine(s.Id, l.Id, m.Id).ToString())))
            .ToHashSet(StringComparer.Ordinal);
}
