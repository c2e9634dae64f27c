using MesOrleans.Errors;
using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Reports;

/// <summary>A span in which a machine was in one state with one reason (after recodes and splits).</summary>
public sealed record StateSpan(DateTimeOffset Start, DateTimeOffset End, MachineState State, string? ReasonCode)
{
    /// <summary>How long the span lasted.</summary>
    public TimeSpan Duration => End - Start;
}

/// <summary>What a machine was doing over a window, read from the history store: the operator's shift bar.</summary>
public sealed class MachineTimeline(IHistoryReader history, PlantCatalog catalog, TimeProvider time)
{
    /// <summary>The longest window one read may span.</summary>
    public static readonly TimeSpan MaxWindow = MachineWindow.MaxWindow;

    /// <summary>The machine's state spans within [from, to), clipped to the window and to now; unknown time is left out.</summary>
    public async Task<IReadOnlyList<StateSpan>> ReadAsync(EquipmentPath machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var (plant, events) = await MachineWindow.ReadAsync(history, catalog, machine, from, to, cancellationToken);
        return Spans(plant, events, new TimeRange(from, to), time.GetUtcNow());
    }

    internal static IReadOnlyList<StateSpan> Spans(PlantView plant, IEnumerable<MachineEvent> events, TimeRange window, DateTimeOffset now)
    {
        var until = window.End < now ? window.End : now;
        return StopTimeline.Build(events, until, plant.IsPlannedReason)
            .Select(i => (i, Clipped: i.Range.Intersect(window)))
            .Where(x => x.Clipped is not null)
            .Select(x => new StateSpan(x.Clipped!.Value.Start, x.Clipped.Value.End, x.i.State, x.i.ReasonCode))
            .ToList();
    }
}
