using MesOrleans.History;
using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.WorkOrders;

namespace MesOrleans.WebFrontend.Operator;

/// <summary>The operator's station: one machine's live view and the commands an operator gives it.</summary>
public sealed class OperatorStation(IGrainFactory grains, PlantCatalog catalog, IHistoryReader history, MachineTimeline timeline, CircuitCommands commands, WorkOrderDesk orders)
{
    // As many as the grain keeps: most are the machine's own counts, which the list leaves out.
    private const int RecentCount = 20;

    // Enough history to know the reasons used most on this machine, small enough to read at every page load.
    private const int UsageSample = 400;

    /// <summary>The lines and machines of every site where the user operates (a bound station: its line), for choosing a station.</summary>
    public async Task<IReadOnlyList<StationSite>> ListAsync()
    {
        var plant = await catalog.GetCurrentAsync();
        var access = await commands.AccessAsync();
        return plant.Model.Sites
            .Where(s => access.May(MesPolicies.Operate, s.Id))
            .Select(s => new StationSite(s.Id, s.Name, s.Lines
                .Where(l => !access.IsStation || access.StationLine == $"{s.Id}/{l.Id}")
                .Select(l => new StationLine(l.Id, l.Name, l.Machines.Select(m => new StationMachine(m.Id, m.Name)).ToList()))
                .ToList()))
            .ToList();
    }

    /// <summary>Everything the station shows for a machine, or null when the plant has no such machine.</summary>
    public async Task<StationView?> OpenAsync(EquipmentPath machine)
    {
        var plant = await catalog.GetCurrentAsync();
        if (plant.Machine(machine) is not { } model)
        {
            return null;
        }

        var grain = Grain(machine);
        var status = await grain.GetStatusAsync();
        var recent = await grain.GetRecentEventsAsync(RecentCount);
        var sample = await history.ReadRecentAsync(machine.ToString(), UsageSample);
        var used = sample.Concat(recent).ToList();
        var site = plant.Site(machine.Site)!;
        var spans = status.Shift is { } shift && shift.End - shift.Start <= MachineTimeline.MaxWindow
            ? await timeline.ReadAsync(machine, shift.Start, shift.End)
            : [];

        return new StationView(
            machine,
            site.Name,
            plant.Line(machine.LinePath)!.Name,
            model.Name,
            ShiftWindows.TimeZoneOf(plant, machine.Site),
            TimeSpan.FromSeconds(model.IdealCycleTimeSeconds),
            status,
            StationEvents.Merge(recent, sample),
            StationEvents.LastMachineCount(used, known: null),
            spans,
            plant.Model.DowntimeReasons.Select(r => new ReasonOption(r.Code, r.Name, r.Category)).ToList(),
            plant.Model.ScrapReasons
                .Where(r => r.AppliesTo(machine.LinePath.ToString(), model.Category))
                .Select(r => new ReasonOption(r.Code, r.Name, r.Category))
                .ToList(),
            ReasonUsage.Downtime(used),
            ReasonUsage.Scrap(used),
            CountsItself: status.CountsItself);
    }

    public Task<MachineStatus> StatusAsync(EquipmentPath machine) => Grain(machine).GetStatusAsync();

    /// <summary>The work order the machine's line runs, its progress and the next one.</summary>
    public Task<LineOrders> OrdersAsync(EquipmentPath machine) => orders.LineOrdersAsync(machine.LinePath);

    public Task<IReadOnlyList<MachineEvent>> RecentAsync(EquipmentPath machine) => Grain(machine).GetRecentEventsAsync(RecentCount);

    public Task<OpenStop> StartDowntimeAsync(EquipmentPath machine, string reasonCode, string? by) =>
        Command(machine, "machine.downtime.start", $"reason {reasonCode}", by, () => Grain(machine).StartDowntimeAsync(new StartDowntime(reasonCode, Note: null, by)));

    public Task<OpenStop> RecodeOpenStopAsync(EquipmentPath machine, string reasonCode, string? by) =>
        Command(machine, "machine.downtime.recode", $"reason {reasonCode}", by, () => Grain(machine).RecodeOpenStopAsync(reasonCode, by));

    public Task<MachineEvent> EndDowntimeAsync(EquipmentPath machine, string? by) =>
        Command(machine, "machine.downtime.end", null, by, () => Grain(machine).EndDowntimeAsync(by));

    public Task<MachineEvent> RecordScrapAsync(EquipmentPath machine, long quantity, string reasonCode, string? by) =>
        Command(machine, "machine.scrap", $"{quantity} × {reasonCode}", by, () => Grain(machine).RecordScrapAsync(new RecordScrap(quantity, reasonCode, by)));

    /// <summary>A reason for parts of the scrap the machine counted itself this shift.</summary>
    public Task<MachineEvent> AssignScrapReasonAsync(EquipmentPath machine, long quantity, string reasonCode, string? by) =>
        Command(machine, "machine.scrap.reason", $"{quantity} of the machine's scrap × {reasonCode}", by,
            () => Grain(machine).AssignScrapReasonAsync(new AssignScrapReason(quantity, reasonCode, by)));

    /// <summary>Good parts counted by hand; on a machine that counts itself only with the reason its counter cannot be trusted.</summary>
    public Task<MachineEvent> RecordGoodCountAsync(EquipmentPath machine, long good, string? by, string? overrideReason = null) =>
        Command(machine, "machine.counts", overrideReason is null ? $"{good} good" : $"{good} good by hand: {overrideReason}", by,
            () => Grain(machine).RecordGoodCountAsync(new RecordGoodCount(good, by, OverrideReason: overrideReason)));

    /// <summary>Takes back an entry made at the station by mistake.</summary>
    public Task<MachineEvent> VoidEntryAsync(EquipmentPath machine, Guid entryId, string? by) =>
        Command(machine, "machine.entry.void", $"entry {entryId}", by, () =>
            Grain(machine).VoidEntryAsync(entryId, new Correction(string.IsNullOrWhiteSpace(by) ? "station" : by, "Taken back at the station")));

    private Task<T> Command<T>(EquipmentPath machine, string action, string? detail, string? by, Func<Task<T>> command) =>
        commands.RunAsync(MesPolicies.Operate, machine.Site, action, machine.ToString(), detail, by, command);

    private IMachineGrain Grain(EquipmentPath machine) => grains.GetGrain<IMachineGrain>(machine.ToString());
}

public sealed record StationSite(string Id, string Name, IReadOnlyList<StationLine> Lines);

public sealed record StationLine(string Id, string Name, IReadOnlyList<StationMachine> Machines);

public sealed record StationMachine(string Id, string Name);

/// <summary>
/// A machine as its station shows it when the page opens; live updates replace the status. <see cref="Recent"/> are
/// the listed events (<see cref="StationEvents"/>); <see cref="ScrapReasons"/> those that apply to this machine.
/// </summary>
public sealed record StationView(
    EquipmentPath Machine,
    string SiteName,
    string LineName,
    string MachineName,
    TimeZoneInfo Zone,
    TimeSpan IdealCycleTime,
    MachineStatus Status,
    IReadOnlyList<MachineEvent> Recent,
    DateTimeOffset? LastMachineCount,
    IReadOnlyList<StateSpan> ShiftSpans,
    IReadOnlyList<ReasonOption> DowntimeReasons,
    IReadOnlyList<ReasonOption> ScrapReasons,
    IReadOnlyDictionary<string, int> DowntimeUses,
    IReadOnlyDictionary<string, int> ScrapUses,
    bool CountsItself);
