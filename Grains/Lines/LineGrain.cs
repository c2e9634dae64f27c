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
    private string Id => this.GetPrimaryKeyString();

    public async Task ConfigureAsync(LineConfig config)
    {
        state.State.Config = config;
        await state.WriteStateAsync();
    }

    public async Task<LineStatus> GetStatusAsync()
    {
        var config = RequireKnown();
        var machines = await Task.WhenAll(Machines(config).Select(m => m.GetStatusAsync()));
        var oee = OeeFigures.Combine(machines.Where(m => m.ShiftOee is not null).Select(m => Output(config, m.Id, m.ShiftOee!)).ToList());
        return new LineStatus(Id, config.Name, Andon(machines), machines, state.State.ActiveWorkOrder, oee, config.CountingMachine);
    }

    public Task<IReadOnlyList<string>> GetMachinesAsync() => Task.FromResult(RequireKnown().MachineIds);

    public async Task<OeeFigures> GetShiftOeeAsync()
    {
        var config = RequireKnown();
        var figures = await Task.WhenAll(config.MachineIds.Select(async id => Output(config, id, await Machine(id).GetShiftOeeAsync())));
        var now = time.GetUtcNow();
        return OeeFigures.Combine(figures) ?? OeeFigures.Empty(now, now);
    }

    public async Task<LineOrderStart> StartOrderAsync(RunningOrder order)
    {
        var config = RequireKnown();
        if (state.State.ActiveWorkOrder is { } active && active != order.OrderNumber)
        {
            throw MesCommandException.Conflict($"Line '{Id}' runs work order '{active}'; pause or complete it first.");
        }

        if (config.CountingMachine is not { } counting)
        {
            throw MesCommandException.Conflict($"Line '{Id}' has no machines to run work order '{order.OrderNumber}' on.");
        }

        // Every machine records the order (the same instant for all); each answers the event that records it.
        var at = time.GetUtcNow();
        var sequences = await Task.WhenAll(config.MachineIds.Select(id => Machine(id).SetRunningOrderAsync(order, at)));
        state.State.ActiveWorkOrder = order.OrderNumber;
        await state.WriteStateAsync();
        return new LineOrderStart(counting, sequences[config.MachineIds.ToList().IndexOf(counting)]);
    }

    public async Task StopOrderAsync(string orderNumber)
    {
        var config = RequireKnown();

        // Another order on the line stays; with none active, clearing finishes a stop that was interrupted.
        if (state.State.ActiveWorkOrder is { } active && active != orderNumber)
        {
            return;
        }

        var at = time.GetUtcNow();
        await Task.WhenAll(config.MachineIds.Select(id => Machine(id).SetRunningOrderAsync(null, at)));
        if (state.State.ActiveWorkOrder is not null)
        {
            state.State.ActiveWorkOrder = null;
            await state.WriteStateAsync();
        }
    }

    // The counting machine's counts are the line's output; the others' are added up as machine counts only.
    private static OeeFigures Output(LineConfig config, string machineId, OeeFigures figures) =>
        machineId == config.CountingMachine ? figures.AsOutput() : figures;

    // The line is as bad as its worst machine: one machine down stops a serial line.
    private static LineAndon Andon(IEnumerable<MachineStatus> machines) =>
        machines.Select(m => m.State).Aggregate(LineAndon.Green, (worst, s) => s switch
        {
            MachineState.Down => LineAndon.Red,
            MachineState.Idle or MachineState.Changeover or MachineState.Offline when worst != LineAndon.Red => LineAndon.Yellow,
            _ => worst,
        });

    private IMachineGrain Machine(string id) => GrainFactory.GetGrain<IMachineGrain>(id);

    private IEnumerable<IMachineGrain> Machines(LineConfig config) => config.MachineIds.Select(Machine);

    private LineConfig RequireKnown() =>
        state.State.Config ?? throw MesCommandException.NotFound($"Line '{Id}' is not in the plant model.");
}
