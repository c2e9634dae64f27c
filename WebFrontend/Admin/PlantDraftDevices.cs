using MesOrleans.Plant;
using MesOrleans.Telemetry;

namespace MesOrleans.WebFrontend.Admin;

/// <summary>Adds a device that telemetry found, but the plant does not have, to the admin's draft in one click.</summary>
public static class PlantDraftDevices
{
    /// <summary>A new machine's ideal cycle time until the admin sets the real one.</summary>
    public const double PlaceholderIdealCycleTimeSeconds = 30;

    /// <summary>The draft's site of the device, or null when the plant has no such site (a site needs a time zone and shifts first).</summary>
    public static SiteDraft? SiteOf(PlantDraft? draft, UnknownDevice device) =>
        draft is not null && EquipmentPath.TryParse(device.MachinePath, out var path)
            ? draft.Sites.FirstOrDefault(s => s.Id == path.Site)
            : null;

    /// <summary>Adds the machine (and its line, when new) to the draft; false when it is there already.</summary>
    public static bool Add(PlantDraft draft, UnknownDevice device)
    {
        var site = SiteOf(draft, device) ?? throw new InvalidOperationException($"The plant has no site for {device.MachinePath}.");
        var path = EquipmentPath.Parse(device.MachinePath);
        var line = site.Lines.FirstOrDefault(l => l.Id == path.Line);
        if (line is null)
        {
            line = new LineDraft { Id = path.Line!, Name = path.Line! };
            site.Lines.Add(line);
        }

        if (line.Machines.Any(m => m.Id == path.Machine))
        {
            return false;
        }

        line.Machines.Add(new MachineDraft { Id = path.Machine!, Name = path.Machine!, IdealCycleTimeSeconds = PlaceholderIdealCycleTimeSeconds });
        return true;
    }
}
