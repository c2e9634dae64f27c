using MesOrleans.Errors;
using MesOrleans.History;
using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>
/// OEE over any past window from the history store, computed by the same function as the machine grains' live
/// figures so that both agree on the same events. Parts count at the ideal cycle time recorded with them (the running
/// product's); other settings are the machines' current ones. Time ends now (a window reaching into the future counts
/// its planned time up to now); parts count over the whole window; a stop running past the window's end is judged
/// minor or not by its whole length, as report rollups judge it.
/// </summary>
public sealed class OeeHistory(IHistoryReader history, PlantCatalog catalog, TimeProvider time)
{
    /// <summary>The longest window one query may span.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(400);

    /// <summary>OEE of a machine, line or site over [from, to). Unknown equipment throws NotFound.</summary>
    public async Task<OeeFigures> ForAsync(EquipmentPath equipment, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (to <= from || to - from > MaxWindow)
        {
            throw MesCommandException.Invalid($"The window must end after it starts and span at most {MaxWindow.TotalDays:0} days.");
        }

        // A view a few seconds old may not know equipment added a moment ago on another silo: look again before saying no.
        var plant = await catalog.GetCurrentAsync();
        var machines = MachinesOf(plant, equipment) ?? MachinesOf(plant = await catalog.RefreshAsync(), equipment)
            ?? throw MesCommandException.NotFound($"'{equipment}' is not in the plant model.");

        var now = time.GetUtcNow();
        var window = new TimeRange(from, to);
        var passed = new TimeRange(from, to < now ? to : now > from ? now : from);
        var calendar = plant.CalendarOf(equipment.Site);
        var figures = new List<OeeFigures>(machines.Length);
        foreach (var machine in machines)
        {
            // A stop still going at the end is read on for as long as it takes to know whether it is a minor one.
            var config = PlantView.ConfigOf(plant.Machine(machine)!);
            var judged = passed.End + config.MicroStopThreshold < now ? passed.End + config.MicroStopThreshold : now;
            var readTo = judged > to ? judged : to;
            var events = await history.ReadWindowAsync(machine.ToString(), from, readTo, cancellationToken);
            var oee = MachineOee.Calculate(passed, calendar, config, events, CountTotals.Sum(events, window, config.IdealCycleTime), plant.IsPlannedReason, judged);

            // A line's and a site's output is what their counting machines counted; a machine alone is just itself.
            figures.Add(!equipment.IsMachine && plant.CountingMachineOf(machine.LinePath) == machine ? oee.AsOutput() : oee);
        }

        return OeeFigures.Combine(from, to, figures);
    }

    private static EquipmentPath[]? MachinesOf(PlantView plant, EquipmentPath equipment) => equipment switch
    {
        { IsMachine: true } => plant.Machine(equipment) is null ? null : [equipment],
        { IsLine: true } => plant.Line(equipment) is null ? null : plant.MachinesOf(equipment).ToArray(),
        _ => plant.Site(equipment.Site) is null ? null : plant.MachinesOf(equipment).ToArray(),
    };
}
