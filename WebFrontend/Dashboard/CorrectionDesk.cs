using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Reports;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;

namespace MesOrleans.WebFrontend.Dashboard;

/// <summary>
/// The supervisor's way to correct a machine's record: its stops and entries over a shift or a day from the history
/// store, and the machine's own corrections (re-code, split, void), which become new events with who and why.
/// </summary>
public sealed class CorrectionDesk(IGrainFactory grains, PlantCatalog catalog, MachineRecord record, TimeProvider time, CircuitCommands commands)
{
    /// <summary>What the page needs of a site, or null when the plant has no such site.</summary>
    public async Task<CorrectionSite?> OpenAsync(string site)
    {
        var plant = await catalog.GetCurrentAsync();
        if (plant.Site(site) is not { } model)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var machines = model.Lines
            .SelectMany(l => l.Machines.Select(m => new CorrectionMachine(EquipmentPath.ForMachine(site, l.Id, m.Id).ToString(), m.Name, l.Name)))
            .ToList();
        return new CorrectionSite(
            site,
            model.Name,
            ShiftWindows.TimeZoneOf(plant, site),
            machines,
            plant.Model.DowntimeReasons,
            plant.Model.ScrapReasons,
            ShiftWindows.CurrentOrLast(plant, site, now),
            ShiftWindows.Previous(plant, site, now),
            ShiftWindows.LocalDate(plant, site, now));
    }

    /// <summary>The site's local day as a window.</summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To)> DayAsync(string site, DateOnly day) =>
        ShiftWindows.Day(await catalog.GetCurrentAsync(), site, day);

    public Task<MachineRecordView> ReadAsync(EquipmentPath machine, DateTimeOffset from, DateTimeOffset to) => record.ReadAsync(machine, from, to);

    public Task<MachineEvent> RecodeAsync(EquipmentPath machine, Guid stopId, string reasonCode, Correction correction) =>
        Command(machine, "machine.stop.recode", $"stop {stopId} → {reasonCode}: {correction.Why}", correction,
            () => Grain(machine).RecodeStopAsync(stopId, reasonCode, correction));

    public Task<MachineEvent> SplitAsync(EquipmentPath machine, Guid stopId, DateTimeOffset at, string reasonCode, Correction correction) =>
        Command(machine, "machine.stop.split", $"stop {stopId} at {at:O} → {reasonCode}: {correction.Why}", correction,
            () => Grain(machine).SplitStopAsync(stopId, at, reasonCode, correction));

    public Task<MachineEvent> VoidAsync(EquipmentPath machine, Guid entryId, Correction correction) =>
        Command(machine, "machine.entry.void", $"entry {entryId}: {correction.Why}", correction,
            () => Grain(machine).VoidEntryAsync(entryId, correction));

    // Corrections are checked against the supervisor's roles at the machine's site and go into the audit trail.
    private Task<MachineEvent> Command(EquipmentPath machine, string action, string detail, Correction correction, Func<Task<MachineEvent>> command) =>
        commands.RunAsync(MesPolicies.Correct, machine.Site, action, machine.ToString(), detail, correction.By, command);

    private IMachineGrain Grain(EquipmentPath machine) => grains.GetGrain<IMachineGrain>(machine.ToString());
}

/// <summary>A machine the corrections page lists, with its line.</summary>
public sealed record CorrectionMachine(string Id, string Name, string LineName);

/// <summary>A site as the corrections page shows it: machines, reason catalogs and the windows it offers.</summary>
public sealed record CorrectionSite(
    string Id,
    string Name,
    TimeZoneInfo Zone,
    IReadOnlyList<CorrectionMachine> Machines,
    IReadOnlyList<DowntimeReasonModel> DowntimeReasons,
    IReadOnlyList<ScrapReasonModel> ScrapReasons,
    ShiftWindow? Shift,
    ShiftWindow? PreviousShift,
    DateOnly Today)
{
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public string DowntimeReasonName(string? code) =>
        DowntimeReasons.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.OrdinalIgnoreCase))?.Name ?? code ?? "no reason";

    public string ScrapReasonName(string? code) =>
        ScrapReasons.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.OrdinalIgnoreCase))?.Name ?? code ?? "no reason";

    /// <summary>
    /// The instant a local clock time typed for a split means: on the stop's local start date, or the day after when
    /// the time is earlier in the day than the stop's start (a stop across midnight). Null when the text is no time.
    /// </summary>
    public DateTimeOffset? SplitInstant(string text, DateTimeOffset stopStart)
    {
        if (!TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "HH:mm:ss", "H:mm", "H:mm:ss"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var clock))
        {
            return null;
        }

        var start = ToLocal(stopStart);
        var day = DateOnly.FromDateTime(start.DateTime);
        if (clock < TimeOnly.FromDateTime(start.DateTime))
        {
            day = day.AddDays(1);
        }

        var local = day.ToDateTime(clock);
        return new DateTimeOffset(local, Zone.IsInvalidTime(local) ? Zone.BaseUtcOffset : Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
