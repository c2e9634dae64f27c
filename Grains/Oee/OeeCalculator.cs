using MesOrleans.Machines;
using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>OEE in ISO 22400-2 terms: only time inside planned production time and the window counts.</summary>
internal static class OeeCalculator
{
    public static OeeFigures Calculate(OeeInput input)
    {
        var window = input.Window;
        var planned = TimeRanges.Intersect(TimeRanges.Normalize(input.PlannedProductionTime), TimeRanges.Normalize([window]));

        // Before the machine's first known state the MES had not heard of it: that time is neither busy nor lost.
        var monitoredFrom = input.MonitoredSince is { } since ? Clamp(since, window) : window.End;
        var unmonitored = TimeRanges.Intersect(planned, [new TimeRange(window.Start, monitoredFrom)]);
        planned = TimeRanges.Subtract(planned, unmonitored);

        var plannedStops = TimeRanges.Normalize(input.Intervals.Where(i => i.Planned).Select(i => i.Range));
        var busy = TimeRanges.Subtract(planned, plannedStops);

        // Silence after the first known state is in no interval: it stays busy time but never run time.
        var running = TimeRanges.Normalize(input.Intervals.Where(i => CountsAsRunning(i, input.MicroStopThreshold)).Select(i => i.Range));
        var runTime = TimeRanges.Duration(TimeRanges.Intersect(busy, running));

        var total = Math.Max(0, input.TotalCount);
        var scrap = Math.Max(0, input.ScrapCount);
        return new OeeFigures(
            window.Start,
            window.End,
            window.Duration,
            TimeRanges.Duration(busy),
            runTime,
            total,
            scrap,
            input.IdealRunTime ?? (input.IdealCycleTime * total),
            input.IdealGoodTime ?? (input.IdealCycleTime * (total - scrap)),
            TimeRanges.Duration(unmonitored),
            monitoredFrom > window.Start && monitoredFrom < window.End ? monitoredFrom : null,
            Machines: 1);
    }

    private static DateTimeOffset Clamp(DateTimeOffset instant, TimeRange window) =>
        instant < window.Start ? window.Start : instant > window.End ? window.End : instant;

    // A minor stop is a performance loss, not an availability loss, so its time is run time. A changeover or a
    // machine that is offline is an availability loss however short.
    private static bool CountsAsRunning(StateInterval interval, TimeSpan microStopThreshold) =>
        !interval.Planned
        && (interval.State == MachineState.Running
            || (interval.State is MachineState.Down or MachineState.Idle && interval.StopDuration < microStopThreshold));
}
