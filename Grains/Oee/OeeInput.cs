using MesOrleans.Time;

namespace MesOrleans.Oee;

/// <summary>
/// What OEE over a window is computed from: the planned production time (shift time minus breaks), what the machine
/// was doing, the parts counted in the window, the machine's ideal cycle time and micro-stop threshold, and since when
/// the machine's state is known (null: not at all). <see cref="IdealRunTime"/> and <see cref="IdealGoodTime"/> give the
/// ideal time of the parts when they were made at different cycle times; without them, <see cref="IdealCycleTime"/>
/// times the counts.
/// </summary>
internal sealed record OeeInput(
    TimeRange Window,
    IReadOnlyList<TimeRange> PlannedProductionTime,
    IReadOnlyList<StateInterval> Intervals,
    long TotalCount,
    long ScrapCount,
    TimeSpan IdealCycleTime,
    TimeSpan MicroStopThreshold,
    DateTimeOffset? MonitoredSince,
    TimeSpan? IdealRunTime = null,
    TimeSpan? IdealGoodTime = null);
