using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.Reports.Rollup;
using MesOrleans.Time;

namespace MesOrleans.Tests.Reports.Rollup;

/// <summary>
/// What a report says computed straight from every raw event, by the functions the machine grains and the history
/// reader use (stop timeline, OEE calculator, count totals): the reference rollups must equal. Time ends now; a stop
/// is judged whole (its real duration, or up to now while open); parts count over the whole window.
/// </summary>
internal static class RawReport
{
    public sealed record Figures(OeeFigures Oee, IReadOnlyDictionary<string, (long Ticks, int Stops)> Downtime, IReadOnlyDictionary<string, (long Parts, int Entries)> Scrap);

    public static Figures Of(PlantView plant, EquipmentPath scope, IEnumerable<MachineEvent> events, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, string? shift = null)
    {
        var machines = scope.IsMachine ? [scope] : plant.MachinesOf(scope).ToList();
        var calendar = plant.CalendarOf(scope.Site);
        var layout = plant.LayoutOf(scope.Site);
        var time = new TimeRange(from, to < now ? to : now > from ? now : from);
        var counts = new TimeRange(from, to);
        var planned = TimeRanges.Normalize(calendar.PlannedProductionTime(time));
        if (shift is not null)
        {
            planned = TimeRanges.Normalize(layout.Segments(time).Where(s => s.IsWork && s.ShiftName == shift).Select(s => s.Range));
        }

        var figures = new List<OeeFigures>();
        var downtime = new Dictionary<string, (long Ticks, HashSet<Guid> Stops)>();
        var scrap = new Dictionary<string, (long Parts, int Entries)>();
        var byMachine = events.GroupBy(e => e.MachineId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Timestamp).ThenBy(e => e.Sequence).ToList());
        foreach (var machine in machines)
        {
            var log = byMachine.GetValueOrDefault(machine.ToString()) ?? [];
            var config = PlantView.ConfigOf(plant.Machine(machine)!);
            var changes = log.Where(e => e.Kind == MachineEventKind.StateChanged && e.State is not null).ToList();
            var last = changes.Count == 0 ? now : changes.Max(e => e.Timestamp);
            var intervals = StopTimeline.Build(log, last > now ? last : now, plant.IsPlannedReason);
            var since = changes.Count == 0 ? (DateTimeOffset?)null : changes.Min(e => e.Timestamp);
            var inShift = shift is null ? log : log.Where(e => layout.SegmentAt(e.Timestamp).ShiftName == shift && layout.SegmentAt(e.Timestamp).Key.ShiftStart != 0);
            var parts = CountTotals.Sum(inShift.Concat(log.Where(e => e.Kind == MachineEventKind.Voided)), counts, config.IdealCycleTime);
            figures.Add(OeeCalculator.Calculate(new OeeInput(
                time, planned, intervals, parts.Total, parts.Scrap, config.IdealCycleTime, config.MicroStopThreshold, since, parts.IdealRunTime, parts.IdealGoodTime)));

            foreach (var interval in intervals.Where(i => i.State != MachineState.Running && !i.Planned))
            {
                var lost = TimeRanges.Duration(TimeRanges.Intersect(planned, [interval.Range]));
                if (lost > TimeSpan.Zero)
                {
                    var cause = CellFigures.DowntimeCause(plant, interval.State, interval.ReasonCode).Code;
                    var sum = downtime.GetValueOrDefault(cause, (0, []));
                    downtime[cause] = (sum.Ticks + lost.Ticks, sum.Stops);
                }
            }

            // A stop counts once per reason; with a shift chosen, when its first lost time in the window is in that shift.
            var allPlanned = TimeRanges.Normalize(calendar.PlannedProductionTime(time));
            foreach (var group in intervals.Where(i => i.State != MachineState.Running && !i.Planned).GroupBy(i => (i.StopId, i.ReasonCode)))
            {
                var first = TimeRanges.Intersect(allPlanned, TimeRanges.Normalize(group.Select(i => i.Range))).FirstOrDefault();
                if (first.Duration > TimeSpan.Zero && (shift is null || (layout.SegmentAt(first.Start) is var s && s.Key.ShiftStart != 0 && s.ShiftName == shift)))
                {
                    var cause = CellFigures.DowntimeCause(plant, group.First().State, group.Key.ReasonCode).Code;
                    var sum = downtime.GetValueOrDefault(cause, (0, []));
                    sum.Stops.Add(group.Key.StopId);
                    downtime[cause] = sum;
                }
            }

            var voided = log.Where(e => e.Kind == MachineEventKind.Voided && e.RefersTo is not null).Select(e => e.RefersTo!.Value).ToHashSet();
            foreach (var entry in inShift.Where(e => e.Kind == MachineEventKind.Counted && e.ScrapDelta > 0 && counts.Contains(e.Timestamp) && !voided.Contains(e.Id)))
            {
                var cause = CellFigures.ScrapCause(plant, entry.ReasonCode).Code;
                var sum = scrap.GetValueOrDefault(cause);
                scrap[cause] = (sum.Parts + entry.ScrapDelta, sum.Entries + 1);
            }

            // Reasons given afterwards to the machine's own scrap move those parts from "no reason" to the reason.
            foreach (var reasoned in inShift.Where(e => e.Kind == MachineEventKind.ScrapReasoned && e.ScrapDelta > 0 && counts.Contains(e.Timestamp)))
            {
                var cause = CellFigures.ScrapCause(plant, reasoned.ReasonCode).Code;
                var sum = scrap.GetValueOrDefault(cause);
                scrap[cause] = (sum.Parts + reasoned.ScrapDelta, sum.Entries + 1);
                var none = CellFigures.ScrapCause(plant, null).Code;
                var unassigned = scrap.GetValueOrDefault(none);
                scrap[none] = (unassigned.Parts - reasoned.ScrapDelta, unassigned.Entries);
            }
        }

        return new Figures(
            OeeFigures.Combine(from, to, figures),
            downtime.ToDictionary(d => d.Key, d => (d.Value.Ticks, d.Value.Stops.Count)),
            scrap.Where(s => s.Value.Parts != 0).ToDictionary());
    }

    /// <summary>The same figures from rollups.</summary>
    public static async Task<Figures> FromRollupsAsync(IRollupReader rollups, PlantView plant, ReportRequest request, DateTimeOffset now)
    {
        var cells = await ReportCells.ReadAsync(rollups, plant, request, now);
        var oee = CellFigures.Oee(plant, cells.Cells, request.From, request.To, cells.TimeWindow.Duration * cells.Machines.Count, cells.DataSince);
        return new Figures(
            oee,
            CellFigures.Downtime(plant, cells.Cells).Where(d => d.Amount > 0).ToDictionary(
                d => d.Code, d => (cells.Cells.Where(c => CellFigures.IsDowntime(plant, c) && CellFigures.DowntimeCause(plant, c.State!.Value, c.Reason).Code == d.Code).Sum(c => c.Time.Ticks), d.Occurrences)),
            CellFigures.Scrap(plant, cells.Cells).Where(s => s.Amount != 0).ToDictionary(s => s.Code, s => ((long)s.Amount, s.Occurrences)));
    }
}
