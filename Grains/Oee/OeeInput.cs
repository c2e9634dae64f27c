using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>
/// What OEE over a window is computed from: the planned production time (shift time minus breaks), what the machine
/// was doing, the parts counted in the window and the machine's ideal cycle time and micro-stop threshold.
/// </summary>
internal sealed record OeeInput(
    TimeRange Window,
    IReadOnlyList<TimeRange> PlannedProductionTime,
    IReadOnlyList<StateInterval> Intervals,
    long TotalCount,
    long ScrapCount,
    TimeSpan IdealCycleTime,
    TimeSpan MicroStopThreshold);
