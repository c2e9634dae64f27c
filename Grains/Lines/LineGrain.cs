using MesOrleans.Errors;
using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Placement;

namespace MesOrleans.Lines;

/// <summary>The persisted line: its master data and active work order.</summary>
public sealed class LineGrainState
{
    public LineConfig? Config { get; set; }

    public string? ActiveWorkOrder { get; set; }
}

/// <inheritdoc cref="ILineGrain" />
[PlaceBySite]
internal sealed class LineGrain(
    [PersistentState("line", MesStorage.Name)] IPersistentState<LineGrainState> state,
    TimeProvider time) : Grain, ILineGrain
{
    public async Task ConfigureAsync(LineConfig config)
    {
        state.State.Config = config;
        await state.WriteStateAsync();
    }

    public async Task<LineStatus> GetStatusAsync()
    {
        var config = RequireKnown();
        var machines = await Task.WhenAll(Machines(config).Select(m => m.GetStatusAsync()));
        var oee = OeeFigures.Combine(machines.Select(m => m.ShiftOee).OfType<OeeFigures>().ToList());
        return new LineStatus(this.GetPrimaryKeyString(), config.Name, Andon(machines), machines, state.State.ActiveWorkOrder, oee);
    }

    public Task<IReadOnlyList<string>> GetMachinesAsync() => Task.FromResult(RequireKnown().MachineIds);

    public async Task<OeeFigures> GetShiftOeeAsync()
    {
        var figures = await Task.WhenAll(Machines(RequireKnown()).Select(m => m.GetShiftOeeAsync()));
        var now = time.GetUtcNow();
        return OeeFigures.Combine(figures) ?? OeeFigures.Empty(now, now);
    }

    public async Task SetActiveWorkOrderAsync(string? orderNumber)
    {
        RequireKnown();
        state.State.ActiveWorkOrder = orderNumber;
        await state.WriteStateAsync();
    }

    // The line is as bad as its worst machine: one machine down stops a serial line.
    private static LineAndon Andon(IEnumerable<MachineStatus> machines) =>
        machines.Select(m => m.State).Aggregate(LineAndon.Green, (worst, s) => s switch
        {
            MachineState.Down => LineAndon.Red,
            MachineState.Idle or MachineState.Changeover or MachineState.Offline when worst != LineAndon.Red => LineAndon.Yellow,
            _ => worst,
        });

    private IEnumerable<IMachineGrain> Machines(LineConfig config) =>
        config.MachineIds.Select(id => GrainFactory.GetGrain<IMachineGrain>(id));

    private LineConfig RequireKnown() =>
        state.State.Config ?? throw MesCommandException.NotFound($"Line '{this.GetPrimaryKeyString()}' is not in the plant model.");
}
