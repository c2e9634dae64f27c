using MesOrleans.Machines;
using MesOrleans.Plant;

namespace MesOrleans.Simulator;

/// <summary>What one simulated machine really did, to check the MES against.</summary>
/// <param name="Machine">The machine.</param>
/// <param name="IdealCycleTimeSeconds">Its ideal cycle time from the plant model.</param>
/// <param name="Total">The last published cumulative total count.</param>
/// <param name="Scrap">The last published cumulative scrap count.</param>
/// <param name="LastSequence">The sequence number of its last message.</param>
/// <param name="Stops">Stops it started (minor stops, breakdowns, changeovers); a stop resumed after a break counts once.</param>
/// <param name="Breakdowns">The stops among them that were breakdowns.</param>
/// <param name="TimeInState">How long it was in each published state.</param>
public sealed record MachineTruth(
    EquipmentPath Machine,
    double IdealCycleTimeSeconds,
    long Total,
    long Scrap,
    long LastSequence,
    int Stops,
    int Breakdowns,
    IReadOnlyDictionary<MachineState, TimeSpan> TimeInState)
{
    /// <summary>Time in any state but <c>planned</c>: the planned busy time of ISO 22400-2.</summary>
    public TimeSpan PlannedBusyTime =>
        TimeInState.Where(s => s.Key != MachineState.Planned).Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Value);

    /// <summary>
    /// OEE = availability × performance × quality, which reduces to ideal cycle time × good count / planned busy time;
    /// null without planned busy time.
    /// </summary>
    public double? Oee => PlannedBusyTime > TimeSpan.Zero
        ? IdealCycleTimeSeconds * (Total - Scrap) / PlannedBusyTime.TotalSeconds
        : null;
}
