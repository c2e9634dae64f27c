using MesOrleans.Errors;
using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Plant;

namespace MesOrleans.Reports;

/// <summary>The events of one machine over a short window, as screens that show a shift read them.</summary>
internal static class MachineWindow
{
    /// <summary>The longest window one read may span: a day and its night shift.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(2);

    /// <summary>
    /// The plant and the machine's events of [from, to) (see <see cref="IHistoryReader.ReadWindowAsync"/>), after writing
    /// what is queued for the store, so that what was recorded a moment ago shows. Invalid for a window that is empty or
    /// too long, NotFound for a machine the plant model does not have.
    /// </summary>
    public static async Task<(PlantView Plant, IReadOnlyList<MachineEvent> Events)> ReadAsync(
        IHistoryReader history, PlantCatalog catalog, EquipmentPath machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (to <= from || to - from > MaxWindow)
        {
            throw MesCommandException.Invalid($"The window must end after it starts and span at most {MaxWindow.TotalHours:0} hours.");
        }

        var plant = await catalog.GetCurrentAsync();
        if (plant.Machine(machine) is null)
        {
            throw MesCommandException.NotFound($"'{machine}' is not a machine of the plant model.");
        }

        return (plant, await history.ReadWindowAsync(machine.ToString(), from, to, cancellationToken));
    }
}
