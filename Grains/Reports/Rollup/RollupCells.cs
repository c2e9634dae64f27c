using System.Collections.Concurrent;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Reports.Rollup;

/// <summary>
/// Where a machine's time is filed: scope (the machine, its line or its site), calendar segment, state, reason ("" for
/// none), whether the stop was a minor one, and product ("" until orders name one). Raw time only: whether it was planned
/// busy time is decided when it is read, from the calendar and the reason catalog as they are then.
/// </summary>
public readonly record struct TimeCellKey(string Scope, SegmentKey Segment, MachineState State, string Reason, bool Minor, string Product);

/// <summary>
/// Time in a cell: ticks, the stops counted there (a stop with one reason counts where its lost time begins) and the
/// ticks in ideal cycles (ticks ÷ the machine's ideal cycle time), which make the production target.
/// </summary>
public readonly record struct TimeAmount(long Ticks, long Stops, double Cycles)
{
    public static TimeAmount operator +(TimeAmount a, TimeAmount b) => new(a.Ticks + b.Ticks, a.Stops + b.Stops, a.Cycles + b.Cycles);

    public static TimeAmount operator -(TimeAmount a) => new(-a.Ticks, -a.Stops, -a.Cycles);

    public bool IsZero => Ticks == 0 && Stops == 0 && Cycles == 0;
}

/// <summary>Where parts are filed: scope, calendar segment of the count's time, scrap reason ("" for none), product.</summary>
public readonly record struct CountCellKey(string Scope, SegmentKey Segment, string Reason, string Product);

/// <summary>
/// Parts in a cell: made, scrapped, entries with scrap, and ideal cycle time × made and × good, in ticks. Of those,
/// <paramref name="UnvaluedTotal"/> and <paramref name="UnvaluedGood"/> parts carried no cycle time of their own
/// (counted before the MES recorded it) and were valued at the machine's when filed, so that a reader can value them
/// at the machine's current one, as the raw events are.
/// </summary>
public readonly record struct CountAmount(long Total, long Scrap, long ScrapEntries, long IdealTicks, long IdealGoodTicks, long UnvaluedTotal = 0, long UnvaluedGood = 0)
{
    public static CountAmount operator +(CountAmount a, CountAmount b) =>
        new(a.Total + b.Total, a.Scrap + b.Scrap, a.ScrapEntries + b.ScrapEntries, a.IdealTicks + b.IdealTicks, a.IdealGoodTicks + b.IdealGoodTicks,
            a.UnvaluedTotal + b.UnvaluedTotal, a.UnvaluedGood + b.UnvaluedGood);

    public static CountAmount operator -(CountAmount a) =>
        new(-a.Total, -a.Scrap, -a.ScrapEntries, -a.IdealTicks, -a.IdealGoodTicks, -a.UnvaluedTotal, -a.UnvaluedGood);

    public bool IsZero => Total == 0 && Scrap == 0 && ScrapEntries == 0 && IdealTicks == 0 && IdealGoodTicks == 0 && UnvaluedTotal == 0 && UnvaluedGood == 0;

    /// <summary>A counted entry: at its recorded cycle time, or else at the machine's <paramref name="configured"/> one.</summary>
    public static CountAmount Of(long total, long scrap, TimeSpan? recorded, TimeSpan configured)
    {
        var cycle = recorded ?? configured;
        return new(
            total, scrap, scrap > 0 ? 1 : 0, cycle.Ticks * total, cycle.Ticks * (total - scrap),
            recorded is null ? total : 0, recorded is null ? total - scrap : 0);
    }

    /// <summary>The parts without a cycle time of their own valued again: filed at <paramref name="filedAt"/>, now at <paramref name="now"/>.</summary>
    public CountAmount Revalued(TimeSpan filedAt, TimeSpan now) => this with
    {
        IdealTicks = IdealTicks + ((now - filedAt).Ticks * UnvaluedTotal),
        IdealGoodTicks = IdealGoodTicks + ((now - filedAt).Ticks * UnvaluedGood),
    };
}

/// <summary>
/// A piece of a machine's timeline after every correction: one state with one reason, part of the stop
/// <paramref name="StopId"/> that spans <paramref name="Stop"/> (a split stop has several pieces). Pieces are filed
/// whole, with no calendar in them, so that any window or calendar can be laid over them. <paramref name="CountedAt"/>
/// is where the stop's time with this reason first fell in shift time when it was filed: its stop is counted there.
/// </summary>
public sealed record RollupPiece(
    string MachineId, TimeRange Range, MachineState State, string Reason, string Product, Guid StopId, TimeRange Stop, DateTimeOffset? CountedAt)
{
    /// <summary>A stop shorter than the machine's micro-stop threshold is a minor stop: running time, a performance loss.</summary>
    public bool IsMinor(TimeSpan microStopThreshold) => State is MachineState.Down or MachineState.Idle && Stop.Duration < microStopThreshold;

    /// <summary>Not running and not in the planned state: downtime unless its reason is planned.</summary>
    public bool IsStop => State is not (MachineState.Running or MachineState.Planned);
}

/// <summary>The settings a machine's rollups were filed with; a change re-files the machine's history.</summary>
public readonly record struct RollupSettings(TimeSpan IdealCycleTime, TimeSpan MicroStopThreshold)
{
    /// <summary>The settings of a machine of the plant model; defaults for one it no longer has.</summary>
    public static RollupSettings Of(PlantView plant, string machineId) =>
        EquipmentPath.TryParse(machineId, out var path) && plant.Machine(path) is { } model
            ? new(TimeSpan.FromSeconds(model.IdealCycleTimeSeconds), TimeSpan.FromSeconds(model.MicroStopThresholdSeconds ?? MachineModel.DefaultMicroStopThresholdSeconds))
            : new(TimeSpan.Zero, TimeSpan.FromSeconds(MachineModel.DefaultMicroStopThresholdSeconds));

    /// <summary>Ticks in ideal cycles; none without an ideal cycle time.</summary>
    public double Cycles(long ticks) => IdealCycleTime > TimeSpan.Zero ? (double)ticks / IdealCycleTime.Ticks : 0;
}

/// <summary>
/// How far a machine's log is projected: the last event number, since when its state is known, the stop still open
/// (the state change in effect and the corrections made to it, which it takes to file the stop once it ends) and the
/// settings its rollups are filed with. Stored with the rollups in the same transaction, so projection resumes exactly.
/// </summary>
public sealed record RollupCursor(string MachineId, long LastSequence, DateTimeOffset? MonitoredSince, IReadOnlyList<MachineEvent> OpenStop, RollupSettings Settings)
{
    public static RollupCursor New(string machineId, RollupSettings settings) => new(machineId, 0, null, [], settings);

    /// <summary>The state change in effect, which opened the stop still open.</summary>
    public MachineEvent? Current => OpenStop.Count > 0 ? OpenStop[0] : null;
}

/// <summary>The scopes a machine's rollups are filed under: the machine, its line, its site.</summary>
public static class RollupScopes
{
    // Every count and stop is filed under its machine's scopes: parsed once per machine, not once per event.
    private static readonly ConcurrentDictionary<string, string[]> Known = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Of(string machineId) => Known.GetOrAdd(machineId, static id =>
    {
        var path = EquipmentPath.Parse(id);
        return [id, path.LinePath.ToString(), path.Site];
    });

    /// <summary>The site of <paramref name="machineId"/>.</summary>
    public static string SiteOf(string machineId) => Of(machineId)[2];
}
