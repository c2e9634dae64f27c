using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;

namespace MesOrleans.Reports.Rollup;

/// <summary>
/// What report cells add up to, judged by the plant model as it is now: planned busy time is time in work segments
/// that was not planned (state planned or a planned reason); run time is that time running or in minor stops;
/// downtime is that time stopped.
/// </summary>
public static class CellFigures
{
    /// <summary>True for time that is not planned busy time whatever the calendar: the planned state or a planned reason.</summary>
    public static bool IsPlanned(PlantView plant, ReportCell cell) => cell.State == MachineState.Planned || plant.IsPlannedReason(cell.Reason);

    /// <summary>Time in shift time that counts towards planned busy time.</summary>
    public static bool IsBusy(PlantView plant, ReportCell cell) => cell.IsTime && cell.Segment.Kind == SegmentKind.Work && !IsPlanned(plant, cell);

    /// <summary>Busy time running, or in a minor stop (a performance loss, not an availability loss).</summary>
    public static bool IsRunning(PlantView plant, ReportCell cell) => IsBusy(plant, cell) && (cell.State == MachineState.Running || cell.Minor);

    /// <summary>Busy time stopped: downtime, minor stops included.</summary>
    public static bool IsDowntime(PlantView plant, ReportCell cell) => IsBusy(plant, cell) && cell.State != MachineState.Running;

    /// <summary>OEE of the cells over a window, as <see cref="OeeCalculator"/> computes it from raw events.</summary>
    public static OeeFigures Oee(PlantView plant, IEnumerable<ReportCell> cells, DateTimeOffset from, DateTimeOffset to, TimeSpan calendarTime, DateTimeOffset? dataSince)
    {
        long busy = 0, run = 0, total = 0, scrap = 0, ideal = 0, idealGood = 0, unmonitored = 0;
        foreach (var cell in cells)
        {
            if (IsBusy(plant, cell))
            {
                busy += cell.Time.Ticks;
                if (cell.State == MachineState.Running || cell.Minor)
                {
                    run += cell.Time.Ticks;
                }
            }

            total += cell.Parts.Total;
            scrap += cell.Parts.Scrap;
            ideal += cell.Parts.IdealTicks;
            idealGood += cell.Parts.IdealGoodTicks;
            unmonitored += cell.UnmonitoredTicks;
        }

        return new OeeFigures(
            from, to, calendarTime, TimeSpan.FromTicks(busy), TimeSpan.FromTicks(run), total, scrap,
            TimeSpan.FromTicks(ideal), TimeSpan.FromTicks(idealGood), TimeSpan.FromTicks(unmonitored), dataSince);
    }

    /// <summary>Downtime by reason: minutes and stops, with the reason's name and category (unassigned per state).</summary>
    public static IEnumerable<LossAmount> Downtime(PlantView plant, IEnumerable<ReportCell> cells) =>
        cells.Where(c => IsDowntime(plant, c))
            .GroupBy(c => DowntimeCause(plant, c.State!.Value, c.Reason))
            .Select(g => g.Key with { Amount = TimeSpan.FromTicks(g.Sum(c => c.Time.Ticks)).TotalMinutes, Occurrences = (int)g.Sum(c => c.Time.Stops) });

    /// <summary>Scrap by reason: parts and entries.</summary>
    public static IEnumerable<LossAmount> Scrap(PlantView plant, IEnumerable<ReportCell> cells) =>
        cells.Where(c => !c.IsTime && (c.Parts.Scrap != 0 || c.Parts.ScrapEntries != 0))
            .GroupBy(c => ScrapCause(plant, c.Reason))
            .Select(g => g.Key with { Amount = g.Sum(c => c.Parts.Scrap), Occurrences = (int)g.Sum(c => c.Parts.ScrapEntries) });

    public static LossAmount DowntimeCause(PlantView plant, MachineState state, string? code)
    {
        if (LossReport.IsUnassigned(code))
        {
            var what = state.ToString();
            return new LossAmount($"{LossReport.Unassigned}:{what.ToLowerInvariant()}", $"{what}, no reason given", LossReport.Unassigned, 0, 0);
        }

        return plant.DowntimeReasons.TryGetValue(code!, out var reason)
            ? new LossAmount(reason.Code, reason.Name, reason.Category, 0, 0)
            : new LossAmount(code!, code!, "unknown", 0, 0);
    }

    public static LossAmount ScrapCause(PlantView plant, string? code) =>
        LossReport.IsUnassigned(code) ? new LossAmount(LossReport.Unassigned, "No reason given", LossReport.Unassigned, 0, 0)
        : plant.ScrapReasons.TryGetValue(code!, out var reason) ? new LossAmount(reason.Code, reason.Name, reason.Category, 0, 0)
        : new LossAmount(code!, code!, "unknown", 0, 0);
}
