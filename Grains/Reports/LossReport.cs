using MesOrleans.Errors;
using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Time;

namespace MesOrleans.Reports;

/// <summary>What a line or site lost over a window, ranked for Pareto charts.</summary>
/// <param name="Downtime">Minutes of unplanned stops by reason.</param>
/// <param name="Scrap">Parts scrapped by reason.</param>
public sealed record Losses(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ParetoBar> Downtime, IReadOnlyList<ParetoBar> Scrap)
{
    /// <summary>All downtime minutes.</summary>
    public double DowntimeMinutes => Downtime.Sum(b => b.Amount);

    /// <summary>All scrapped parts.</summary>
    public double ScrapParts => Scrap.Sum(b => b.Amount);
}

/// <summary>
/// Downtime and scrap by reason for a line or site over any window, from the history store: stops as the stop
/// timeline rebuilds them (after recodes and splits), counted only within shift time less breaks, and scrap without
/// voided entries. Planned stops (state planned or a planned reason) are not losses and are left out.
/// </summary>
public sealed class LossReport(IHistoryReader history, PlantCatalog catalog, TimeProvider time)
{
    /// <summary>The code under which stop time without a reason is grouped, per state (<c>down</c>, <c>idle</c>, …).</summary>
    public const string Unassigned = "unassigned";

    /// <summary>Losses of a line or site over [from, to); a window reaching into the future ends now.</summary>
    public async Task<Losses> ForAsync(EquipmentPath lineOrSite, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (to <= from || to - from > OeeHistory.MaxWindow)
        {
            throw MesCommandException.Invalid($"The window must end after it starts and span at most {OeeHistory.MaxWindow.TotalDays:0} days.");
        }

        var plant = await catalog.GetCurrentAsync();
        var known = lineOrSite.IsLine ? plant.Line(lineOrSite) is not null : !lineOrSite.IsMachine && plant.Site(lineOrSite.Site) is not null;
        if (!known)
        {
            throw MesCommandException.NotFound($"'{lineOrSite}' is not a line or site of the plant model.");
        }

        var events = new List<IReadOnlyList<MachineEvent>>();
        foreach (var machine in plant.MachinesOf(lineOrSite))
        {
            events.Add(await history.ReadWindowAsync(machine.ToString(), from, to, cancellationToken));
        }

        return Compute(plant, lineOrSite.Site, new TimeRange(from, to), time.GetUtcNow(), events);
    }

    /// <summary>The report over machines' history windows as <see cref="IHistoryReader.ReadWindowAsync"/> returns them.</summary>
    internal static Losses Compute(PlantView plant, string site, TimeRange window, DateTimeOffset now, IEnumerable<IReadOnlyList<MachineEvent>> machines)
    {
        var until = window.End < now ? window.End : now;
        var shiftTime = until > window.Start
            ? TimeRanges.Normalize(plant.CalendarOf(site).PlannedProductionTime(new TimeRange(window.Start, until)))
            : [];
        var downtime = new List<LossAmount>();
        var scrap = new List<LossAmount>();
        foreach (var events in machines)
        {
            downtime.AddRange(Stops(plant, events, shiftTime, until));
            scrap.AddRange(Scrapped(plant, events, window));
        }

        return new Losses(window.Start, window.End, Pareto.Rank(downtime), Pareto.Rank(scrap));
    }

    private static IEnumerable<LossAmount> Stops(PlantView plant, IReadOnlyList<MachineEvent> events, IReadOnlyList<TimeRange> shiftTime, DateTimeOffset until) =>
        StopTimeline.Build(events, until, plant.IsPlannedReason)
            .Where(i => i.State != MachineState.Running && !i.Planned)
            .Select(i => (Interval: i, Lost: TimeRanges.Duration(TimeRanges.Intersect(shiftTime, [i.Range]))))
            .Where(x => x.Lost > TimeSpan.Zero)
            .GroupBy(x => DowntimeCause(plant, x.Interval.State, x.Interval.ReasonCode))
            .Select(g => g.Key with
            {
                Amount = g.Sum(x => x.Lost.TotalMinutes),
                Occurrences = g.Select(x => x.Interval.StopId).Distinct().Count(),
            });

    private static IEnumerable<LossAmount> Scrapped(PlantView plant, IReadOnlyList<MachineEvent> events, TimeRange window)
    {
        var voided = events.Where(e => e.Kind == MachineEventKind.Voided && e.RefersTo is not null).Select(e => e.RefersTo!.Value).ToHashSet();
        var counted = events
            .Where(e => e.Kind == MachineEventKind.Counted && e.ScrapDelta > 0 && window.Contains(e.Timestamp) && !voided.Contains(e.Id))
            .GroupBy(e => ScrapCause(plant, e.ReasonCode))
            .Select(g => g.Key with { Amount = g.Sum(e => e.ScrapDelta), Occurrences = g.Count() });

        // Reasons given afterwards to the machine's own scrap move those parts from "no reason" to the reason; the
        // ranking adds the amounts of a cause up, so the negative share lowers "no reason".
        var reasoned = events
            .Where(e => e.Kind == MachineEventKind.ScrapReasoned && e.ScrapDelta > 0 && window.Contains(e.Timestamp))
            .SelectMany(e => new[]
            {
                ScrapCause(plant, e.ReasonCode) with { Amount = e.ScrapDelta, Occurrences = 1 },
                ScrapCause(plant, null) with { Amount = -e.ScrapDelta, Occurrences = 0 },
            });
        return counted.Concat(reasoned);
    }

    private static LossAmount DowntimeCause(PlantView plant, MachineState state, string? code)
    {
        if (IsUnassigned(code))
        {
            var what = state.ToString();
            return new LossAmount($"{Unassigned}:{what.ToLowerInvariant()}", $"{what}, no reason given", Unassigned, 0, 0);
        }

        return plant.DowntimeReasons.TryGetValue(code!, out var reason)
            ? new LossAmount(reason.Code, reason.Name, reason.Category, 0, 0)
            : new LossAmount(code!, code!, "unknown", 0, 0);
    }

    private static LossAmount ScrapCause(PlantView plant, string? code) =>
        IsUnassigned(code) ? new LossAmount(Unassigned, "No reason given", Unassigned, 0, 0)
        : plant.ScrapReasons.TryGetValue(code!, out var reason) ? new LossAmount(reason.Code, reason.Name, reason.Category, 0, 0)
        : new LossAmount(code!, code!, "unknown", 0, 0);

    /// <summary>True when a stop or entry still needs a reason: none given, or the PLC's placeholder.</summary>
    public static bool IsUnassigned(string? code) => string.IsNullOrWhiteSpace(code) || string.Equals(code, Unassigned, StringComparison.OrdinalIgnoreCase);
}
