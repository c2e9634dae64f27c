using System.Collections.Concurrent;
using MesOrleans.Machines;
using MesOrleans.Reports.Rollup;
using MesOrleans.Shifts;

namespace MesOrleans.Plant;

/// <summary>
/// A read-only, indexed view of one version of the plant model, shared by every grain in a silo so that each
/// machine grain holds only its own settings, not a copy of the catalogs.
/// </summary>
public sealed class PlantView
{
    private readonly Dictionary<string, SiteModel> _sites;
    private readonly Dictionary<string, LineModel> _lines;
    private readonly Dictionary<string, MachineModel> _machines;
    private readonly ConcurrentDictionary<string, ShiftCalendar> _calendars = new();
    private readonly ConcurrentDictionary<string, SiteLayout> _layouts = new();

    public PlantView(PlantModelSnapshot snapshot)
    {
        Version = snapshot.Version;
        Model = snapshot.Model;
        RetiredMachines = snapshot.RetiredMachines.ToHashSet();
        _sites = Model.Sites.ToDictionary(s => s.Id);
        _lines = Model.Sites.SelectMany(s => s.Lines.Select(l => (Key: $"{s.Id}/{l.Id}", l))).ToDictionary(x => x.Key, x => x.l);
        _machines = Model.Sites
            .SelectMany(s => s.Lines.SelectMany(l => l.Machines.Select(m => (Key: $"{s.Id}/{l.Id}/{m.Id}", m))))
            .ToDictionary(x => x.Key, x => x.m);
        DowntimeReasons = Model.DowntimeReasons.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
        ScrapReasons = Model.ScrapReasons.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
        Products = (Model.Products ?? []).ToDictionary(p => p.PartNumber, StringComparer.OrdinalIgnoreCase);
    }

    public long Version { get; }

    public PlantModel Model { get; }

    public IReadOnlySet<string> RetiredMachines { get; }

    public IReadOnlyDictionary<string, DowntimeReasonModel> DowntimeReasons { get; }

    public IReadOnlyDictionary<string, ScrapReasonModel> ScrapReasons { get; }

    /// <summary>The products by part number.</summary>
    public IReadOnlyDictionary<string, ProductModel> Products { get; }

    public SiteModel? Site(string siteId) => _sites.GetValueOrDefault(siteId);

    public LineModel? Line(EquipmentPath line) => _lines.GetValueOrDefault(line.ToString());

    public MachineModel? Machine(EquipmentPath machine) => _machines.GetValueOrDefault(machine.ToString());

    public IEnumerable<EquipmentPath> MachinesOf(EquipmentPath lineOrSite) =>
        _machines.Keys.Select(EquipmentPath.Parse).Where(m =>
            m.Site == lineOrSite.Site && (lineOrSite.Line is null || m.Line == lineOrSite.Line));

    /// <summary>
    /// The machine that counts a line's output: the one the line names, else its last machine; null for a line
    /// without machines or not in the plant.
    /// </summary>
    public EquipmentPath? CountingMachineOf(EquipmentPath line)
    {
        if (Line(line) is not { Machines.Count: > 0 } model)
        {
            return null;
        }

        var id = model.CountingMachineId is { } named && model.Machines.Any(m => m.Id == named) ? named : model.Machines[^1].Id;
        return EquipmentPath.ForMachine(line.Site, line.Line!, id);
    }

    /// <summary>
    /// The ideal cycle time of <paramref name="machine"/> making <paramref name="partNumber"/>: the product's time for that
    /// machine (by path, then by id), else the product's own; the machine's when the product is unknown or none runs.
    /// </summary>
    public TimeSpan IdealCycleTime(EquipmentPath machine, string? partNumber)
    {
        var own = Machine(machine) is { } model ? TimeSpan.FromSeconds(model.IdealCycleTimeSeconds) : TimeSpan.Zero;
        if (partNumber is null || !Products.TryGetValue(partNumber, out var product))
        {
            return own;
        }

        var machines = product.Machines ?? new Dictionary<string, double>();
        return TimeSpan.FromSeconds(
            machines.TryGetValue(machine.ToString(), out var byPath) ? byPath
            : machines.TryGetValue(machine.Machine!, out var byId) ? byId
            : product.IdealCycleTimeSeconds);
    }

    public ShiftCalendar CalendarOf(string siteId) =>
        _calendars.GetOrAdd(siteId, id =>
        {
            var site = Site(id) ?? throw new KeyNotFoundException($"Site '{id}' is not in plant model version {Version}.");
            return ShiftCalendar.ForSite(site);
        });

    /// <summary>The site's calendar cut into the pieces report rollups are filed under.</summary>
    public SiteLayout LayoutOf(string siteId) => _layouts.GetOrAdd(siteId, id => new SiteLayout(CalendarOf(id)));

    /// <summary>True when the reason makes a stop planned (e.g. preventive maintenance): not an availability loss.</summary>
    public bool IsPlannedReason(string? code) => code is not null && DowntimeReasons.TryGetValue(code, out var reason) && reason.Planned;

    public static MachineConfig ConfigOf(MachineModel machine)
    {
        var idealCycleTime = TimeSpan.FromSeconds(machine.IdealCycleTimeSeconds);
        return new MachineConfig(
            machine.Name,
            idealCycleTime,
            TimeSpan.FromSeconds(machine.MicroStopThresholdSeconds ?? MachineModel.DefaultMicroStopThresholdSeconds))
        {
            OfflineAfter = TimeSpan.FromSeconds(machine.OfflineAfterSeconds ?? MachineModel.DefaultOfflineAfterSeconds),
            NoCountStopAfter = idealCycleTime * (machine.NoCountStopCycles ?? MachineModel.DefaultNoCountStopCycles),
        };
    }
}
