using MesOrleans.Machines;
using MesOrleans.Oee;

namespace MesOrleans.Lines;

/// <summary>A line's master data from the plant model: its machines, and the one that counts its output.</summary>
[GenerateSerializer, Immutable, Alias("mes.LineConfig")]
public sealed record LineConfig(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<string> MachineIds,
    [property: Id(2)] string? CountingMachineId = null)
{
    /// <summary>The machine whose counts are the line's output: the one named, else the last; null without machines.</summary>
    public string? CountingMachine => CountingMachineId is { } named && MachineIds.Contains(named) ? named : MachineIds.LastOrDefault();
}

/// <summary>The andon colour of a line: the worst state among its machines.</summary>
public enum LineAndon
{
    /// <summary>Every machine runs (or is in a planned stop).</summary>
    Green,

    /// <summary>A machine is idle, in changeover or offline.</summary>
    Yellow,

    /// <summary>A machine is down.</summary>
    Red,
}

/// <summary>
/// A line's live view. <see cref="ShiftOee"/> adds up its machines, with the counting machine's counts as its output.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.LineStatus")]
public sealed record LineStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] LineAndon Andon,
    [property: Id(3)] IReadOnlyList<MachineStatus> Machines,
    [property: Id(4)] string? ActiveWorkOrder,
    [property: Id(5)] OeeFigures? ShiftOee,
    [property: Id(6)] string? CountingMachineId = null);

/// <summary>Where a work order started counting: the line's counting machine and the number of the event that records the order there.</summary>
[GenerateSerializer, Immutable, Alias("mes.LineOrderStart")]
public sealed record LineOrderStart(
    [property: Id(0)] string CountingMachineId,
    [property: Id(1)] long Sequence);

/// <summary>A production line, keyed by its path (<c>plant1/assembly</c>).</summary>
[Alias("mes.ILineGrain")]
public interface ILineGrain : IGrainWithStringKey
{
    /// <summary>Sets the line's master data (called by the plant model).</summary>
    [Alias("Configure")]
    Task ConfigureAsync(LineConfig config);

    /// <summary>The live view with every machine. Unknown lines throw NotFound.</summary>
    [Alias("GetStatus")]
    Task<LineStatus> GetStatusAsync();

    /// <summary>The line's machine paths.</summary>
    [Alias("GetMachines")]
    Task<IReadOnlyList<string>> GetMachinesAsync();

    /// <summary>Current-shift OEE, aggregated over the machines by adding their components.</summary>
    [Alias("GetShiftOee")]
    Task<OeeFigures> GetShiftOeeAsync();

    /// <summary>
    /// Makes the order the line's active one: every machine records it (see <see cref="IMachineGrain.SetRunningOrderAsync"/>).
    /// Conflict when another order is active; the active one again changes nothing.
    /// </summary>
    [Alias("StartOrder")]
    Task<LineOrderStart> StartOrderAsync(RunningOrder order);

    /// <summary>Takes the order off the line (its machines record that none runs); an order that is not active changes nothing.</summary>
    [Alias("StopOrder")]
    Task StopOrderAsync(string orderNumber);
}
