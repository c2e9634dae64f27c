using MesOrleans.Machines;
using MesOrleans.Oee;

namespace MesOrleans.Lines;

/// <summary>A line's master data from the plant model.</summary>
[GenerateSerializer, Immutable, Alias("mes.LineConfig")]
public sealed record LineConfig(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<string> MachineIds);

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

/// <summary>A line's live view.</summary>
[GenerateSerializer, Immutable, Alias("mes.LineStatus")]
public sealed record LineStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] LineAndon Andon,
    [property: Id(3)] IReadOnlyList<MachineStatus> Machines,
    [property: Id(4)] string? ActiveWorkOrder,
    [property: Id(5)] OeeFigures? ShiftOee);

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

    /// <summary>Makes a work order the line's active one (or clears it with null).</summary>
    [Alias("SetActiveWorkOrder")]
    Task SetActiveWorkOrderAsync(string? orderNumber);
}
