using MesOrleans.Machines;
using MesOrleans.Shifts;
using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>
/// A machine's OEE over a window. The live grain and the history store both call this one function, so that the
/// live shift figure and the same window read from history agree on the same events.
/// </summary>
internal static class MachineOee
{
    public static OeeFigures Calculate(
        TimeRange window,
        ShiftCalendar calendar,
        MachineConfig config,
        IEnumerable<MachineEvent> stateEvents,
        CountTotals counts,
        Func<string?, bool> isPlannedReason) =>
        OeeCalculator.Calculate(new OeeInput(
            window,
            calendar.PlannedProductionTime(window),
            StopTimeline.Build(stateEvents, window.End, isPlannedReason),
            counts.Total,
            counts.Scrap,
            config.IdealCycleTime,
            config.MicroStopThreshold));
}
