using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.Shifts;
using MesOrleans.Sites;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.WorkOrders;

namespace MesOrleans.WebFrontend.Dashboard;

/// <summary>The supervisor's board of a site: live machine status and shift OEE, losses by reason, the shift log.</summary>
public sealed class ShiftBoard(IGrainFactory grains, PlantCatalog catalog, SiteLosses losses, TimeProvider time, CircuitCommands commands, WorkOrderDesk orders)
{
    /// <summary>How many handovers the board shows.</summary>
    public const int HandoverCount = 3;

    /// <summary>The sites of the plant the user may see: id and name.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> SitesAsync()
    {
        var access = await commands.AccessAsync();
        return (await catalog.GetCurrentAsync()).Model.Sites.Where(s => access.Sees(s.Id)).Select(s => (s.Id, s.Name)).ToList();
    }

    /// <summary>The site's board as it is now, or null when the plant has no such site.</summary>
    public async Task<BoardView?> OpenAsync(string site)
    {
        var plant = await catalog.GetCurrentAsync();
        if (plant.Site(site) is not { } model)
        {
            return null;
        }

        var status = await grains.GetGrain<ISiteGrain>(site).GetStatusAsync();
        var now = time.GetUtcNow();
        var shift = ShiftWindows.CurrentOrLast(plant, site, now);
        var cycleTimes = model.Lines
            .SelectMany(l => l.Machines.Select(m => (Id: EquipmentPath.ForMachine(site, l.Id, m.Id).ToString(), m.IdealCycleTimeSeconds)))
            .ToDictionary(x => x.Id, x => TimeSpan.FromSeconds(x.IdealCycleTimeSeconds));
        var shiftPlanned = shift is null ? TimeSpan.Zero : ShiftWindows.PlannedProductionTime(plant, site, shift.Start, shift.End);
        var handovers = await grains.GetGrain<IShiftLogGrain>(site).GetRecentAsync(HandoverCount);
        return new BoardView(
            site,
            model.Name,
            ShiftWindows.TimeZoneOf(plant, site),
            shift,
            shiftPlanned,
            ShiftWindows.LocalDate(plant, site, now),
            status.Lines.Select(l => new BoardLine(l.Id, l.Name, l.Machines)).ToList(),
            cycleTimes,
            handovers)
        {
            CountingMachines = model.Lines
                .Select(l => plant.CountingMachineOf(EquipmentPath.ForLine(site, l.Id)))
                .OfType<EquipmentPath>()
                .Select(m => m.ToString())
                .ToHashSet(),
        };
    }

    /// <summary>Each line's running work order with its progress, and its next one.</summary>
    public async Task<IReadOnlyDictionary<string, LineOrders>> OrdersAsync(BoardView board)
    {
        var lines = new Dictionary<string, LineOrders>();
        foreach (var line in board.Lines)
        {
            lines[line.Id] = await orders.LineOrdersAsync(EquipmentPath.Parse(line.Id));
        }

        return lines;
    }

    /// <summary>
    /// Where a machine added to the plant since a board was read goes on it: its line and ideal cycle time as the
    /// applied plant model names them; null for a machine the model does not name.
    /// </summary>
    public async Task<MachinePlace?> PlaceAsync(string site, string machineId)
    {
        var plant = await catalog.GetCurrentAsync();
        return EquipmentPath.TryParse(machineId, out var path) && path.IsMachine && path.Site == site
            && plant.Site(site)?.Lines.FirstOrDefault(l => l.Id == path.Line) is { } line
            && line.Machines.FirstOrDefault(m => m.Id == path.Machine) is { } machine
            ? new MachinePlace(path.LinePath.ToString(), line.Name, TimeSpan.FromSeconds(machine.IdealCycleTimeSeconds))
            : null;
    }

    /// <summary>The names of the downtime reasons by code.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReasonNamesAsync() =>
        (await catalog.GetCurrentAsync()).DowntimeReasons.ToDictionary(r => r.Key, r => r.Value.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Downtime and scrap of a line or the whole site over a window, read once per change of the site for every board.</summary>
    public Task<Losses> LossesAsync(EquipmentPath lineOrSite, DateTimeOffset from, DateTimeOffset to) => losses.ReadAsync(lineOrSite, from, to);

    /// <summary>Calls <paramref name="onChange"/> whenever the site's losses may have changed.</summary>
    public Task<IDisposable> WatchLossesAsync(string site, Func<Task> onChange) => losses.WatchAsync(site, onChange);

    /// <summary>The window of a local day of the site.</summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To)> DayAsync(string site, DateOnly day) =>
        ShiftWindows.Day(await catalog.GetCurrentAsync(), site, day);

    public Task<IReadOnlyList<ShiftHandover>> HandoversAsync(string site) => grains.GetGrain<IShiftLogGrain>(site).GetRecentAsync(HandoverCount);

    public Task<ShiftHandover> HandOverAsync(string site, HandOverShift handover) =>
        commands.RunAsync(MesPolicies.Supervise, site, "shift.handover", site, $"{handover.ShiftName} by {handover.Author}: {handover.Note}", null,
            () => grains.GetGrain<IShiftLogGrain>(site).HandOverAsync(handover));

    /// <summary>What a shift achieved, for its handover: OEE and counts from the live figures, the worst losses by reason.</summary>
    public static ShiftSummary Summarize(OeeFigures? oee, Losses? losses) => new(
        oee?.GoodCount ?? 0,
        oee?.ScrapCount ?? 0,
        oee?.Oee ?? 0,
        oee?.Availability ?? 0,
        oee?.Performance ?? 0,
        oee?.Quality ?? 0,
        losses?.DowntimeMinutes ?? 0,
        (losses?.Downtime ?? []).Take(3).Select(b => $"{b.Name}: {b.Amount:0} min").ToList());
}

/// <summary>A site's board when the page opens; live updates replace machines' status.</summary>
public sealed record BoardView(
    string SiteId,
    string SiteName,
    TimeZoneInfo Zone,
    ShiftWindow? Shift,
    TimeSpan ShiftPlannedTime,
    DateOnly Today,
    IReadOnlyList<BoardLine> Lines,
    IReadOnlyDictionary<string, TimeSpan> IdealCycleTimes,
    IReadOnlyList<ShiftHandover> Handovers)
{
    /// <summary>The machines whose counts are their lines' output; a board that names none counts every machine.</summary>
    public IReadOnlySet<string> CountingMachines { get; init; } = new HashSet<string>();

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The machines of <paramref name="machines"/> that count their line's output: lines and the site make what these count.</summary>
    public IEnumerable<MachineStatus> Output(IEnumerable<MachineStatus> machines) =>
        CountingMachines.Count == 0 ? machines : machines.Where(m => CountingMachines.Contains(m.Id));

    /// <summary>The board with one machine's new status (a machine it does not show is ignored).</summary>
    public BoardView With(MachineStatus status) => this with
    {
        Lines = Lines.Select(l => l.Machines.Any(m => m.Id == status.Id)
            ? l with { Machines = l.Machines.Select(m => m.Id == status.Id ? status : m).ToList() }
            : l).ToList(),
    };

    /// <summary>True for the status of a machine the board does not show and that is not retired: one added since the board was read.</summary>
    public bool IsNew(MachineStatus status) => !status.Retired && !Lines.Any(l => l.Machines.Any(m => m.Id == status.Id));

    /// <summary>The board with a machine it did not show, last on its line; a line it did not show goes last.</summary>
    public BoardView Adding(MachinePlace place, MachineStatus status)
    {
        if (!IsNew(status))
        {
            return With(status);
        }

        var lines = Lines.Any(l => l.Id == place.LineId)
            ? Lines.Select(l => l.Id == place.LineId ? l with { Machines = [.. l.Machines, status] } : l).ToList()
            : [.. Lines, new BoardLine(place.LineId, place.LineName, [status])];
        return this with
        {
            Lines = lines,
            IdealCycleTimes = new Dictionary<string, TimeSpan>(IdealCycleTimes) { [status.Id] = place.IdealCycleTime },
        };
    }

    /// <summary>The site's shift OEE, added up from its machines.</summary>
    public OeeFigures? SiteOee => OeeFigures.Combine(Lines.SelectMany(l => l.Machines).Select(m => m.ShiftOee).OfType<OeeFigures>().ToList());

    /// <summary>Parts made against the target of planned busy time at the ideal rate, over some machines.</summary>
    public ProductionTarget TargetOf(IEnumerable<MachineStatus> machines)
    {
        long made = 0;
        long good = 0;
        double soFar = 0;
        double wholeShift = 0;
        foreach (var m in machines)
        {
            if (!IdealCycleTimes.TryGetValue(m.Id, out var cycle) || cycle <= TimeSpan.Zero)
            {
                continue;
            }

            made += m.ShiftOee?.TotalCount ?? 0;
            good += m.ShiftOee?.GoodCount ?? 0;
            soFar += (m.ShiftOee?.PlannedBusyTime ?? TimeSpan.Zero) / cycle;

            // Time before the MES heard of a machine is not planned for it: neither a loss nor a target.
            wholeShift += (ShiftPlannedTime - (m.ShiftOee?.UnmonitoredTime ?? TimeSpan.Zero)) / cycle;
        }

        return new ProductionTarget(made, good, (long)Math.Floor(soFar), (long)Math.Floor(wholeShift));
    }
}

/// <summary>Where a machine goes on a board: its line (path and name) and its ideal cycle time.</summary>
public sealed record MachinePlace(string LineId, string LineName, TimeSpan IdealCycleTime);

/// <summary>A line of the board with its machines' live status.</summary>
public sealed record BoardLine(string Id, string Name, IReadOnlyList<MachineStatus> Machines)
{
    public OeeFigures? Oee => OeeFigures.Combine(Machines.Select(m => m.ShiftOee).OfType<OeeFigures>().ToList());
}

/// <summary>
/// Production against target: the target is planned busy time at the ideal rate (PBT / ideal cycle time), so far
/// and for the whole shift (its planned production time; planned stops still to come are not known yet).
/// </summary>
public sealed record ProductionTarget(long Made, long Good, long TargetSoFar, long ShiftTarget)
{
    /// <summary>Good parts against the target so far, 0 to 1 and beyond.</summary>
    public double Attainment => TargetSoFar <= 0 ? 0 : (double)Good / TargetSoFar;
}
