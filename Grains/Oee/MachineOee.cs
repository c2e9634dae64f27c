using MesOrleans.Machines;
using MesOrleans.Shifts;
using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>
/// A machine's OEE over a window. The live grain and the history store both call this one function, so that the
/// live shift figure and the same window read from history agree on the same events. The machine is monitored from
/// its first known state on: both hand this function the state in effect at the window's start when there was one (the
/// grain's shift timeline carries it, the history store reads it), so the earliest state change among the events is
/// either at or before the start, or the machine's very first. Ideal times come with the counts: each count at the
/// cycle time in force when it was made.
/// </summary>
internal static class MachineOee
{
    /// <param name="until">
    /// How far the events tell what the machine did, when further than the window's end: a stop that runs past the end is
    /// then judged (minor or not) by more of its length, up to its real end.
    /// </param>
    public static OeeFigures Calculate(
        TimeRange window,
        ShiftCalendar calendar,
        MachineConfig config,
        IEnumerable<MachineEvent> stateEvents,
        CountTotals counts,
        Func<string?, bool> isPlannedReason,
        DateTimeOffset? until = null) =>
        OeeCalculator.Calculate(new OeeInput(
            window,
            calendar.PlannedProductionTime(window),
            StopTimeline.Build(stateEvents, until is { } end && end > window.End ? end : window.End, isPlannedReason),
            counts.Total,
            counts.Scrap,
            config.IdealCycleTime,
            config.MicroStopThreshold,
            MonitoredSince(stateEvents),
            counts.IdealRunTime,
            counts.IdealGoodTime));

    /// <summary>The earliest state change among <paramref name="events"/>: since when the machine's state is known.</summary>
    public static DateTimeOffset? MonitoredSince(IEnumerable<MachineEvent> events) =>
        events.Where(e => e.Kind == MachineEventKind.StateChanged && e.State is not null)
            .Select(e => (DateTimeOffset?)e.Timestamp)
            .Min();
}
