using MesOrleans.Plant;

namespace MesOrleans.WebFrontend.Admin;

/// <summary>
/// An editable copy of the plant model. The admin page changes the copy and applies it as a whole, so nothing is
/// ever half-saved. The lists keep the document's order, so a problem's path (<c>$.sites[0].lines[1]…</c>) names
/// the draft item at the same indexes.
/// </summary>
public sealed class PlantDraft
{
    public List<SiteDraft> Sites { get; } = [];

    public List<DowntimeReasonDraft> DowntimeReasons { get; } = [];

    public List<ScrapReasonDraft> ScrapReasons { get; } = [];

    /// <summary>
    /// A draft of <paramref name="model"/>. Items whose keys (<see cref="KeysOf"/>) are in <paramref name="applied"/>
    /// exist in the plant and keep their ids and codes, which key grains and recorded history; the others are new.
    /// Tolerates the nulls of an invalid document.
    /// </summary>
    public static PlantDraft From(PlantModel model, IReadOnlySet<string> applied)
    {
        var draft = new PlantDraft();
        foreach (var site in model.Sites ?? [])
        {
            if (site is null)
            {
                continue;
            }

            var siteDraft = new SiteDraft
            {
                Id = site.Id ?? "",
                Name = site.Name ?? "",
                TimeZone = site.TimeZone ?? "",
                IsNew = !applied.Contains(site.Id ?? ""),
            };
            siteDraft.Shifts.AddRange((site.Shifts ?? []).OfType<ShiftModel>().Select(shift => new ShiftDraft
            {
                Name = shift.Name ?? "",
                Start = shift.Start ?? "",
                End = shift.End ?? "",
                Breaks = [.. (shift.Breaks ?? []).OfType<BreakModel>().Select(b => new BreakDraft { Start = b.Start ?? "", End = b.End ?? "" })],
            }));
            foreach (var line in (site.Lines ?? []).OfType<LineModel>())
            {
                var linePath = $"{site.Id}/{line.Id}";
                var lineDraft = new LineDraft { Id = line.Id ?? "", Name = line.Name ?? "", IsNew = !applied.Contains(linePath) };
                lineDraft.Machines.AddRange((line.Machines ?? []).OfType<MachineModel>().Select(m => new MachineDraft
                {
                    Id = m.Id ?? "",
                    Name = m.Name ?? "",
                    IdealCycleTimeSeconds = m.IdealCycleTimeSeconds,
                    MicroStopThresholdSeconds = m.MicroStopThresholdSeconds,
                    OfflineAfterSeconds = m.OfflineAfterSeconds,
                    NoCountStopCycles = m.NoCountStopCycles,
                    IsNew = !applied.Contains($"{linePath}/{m.Id}"),
                }));
                siteDraft.Lines.Add(lineDraft);
            }

            draft.Sites.Add(siteDraft);
        }

        draft.DowntimeReasons.AddRange((model.DowntimeReasons ?? []).OfType<DowntimeReasonModel>().Select(r => new DowntimeReasonDraft
        {
            Code = r.Code ?? "",
            Name = r.Name ?? "",
            Category = r.Category ?? "",
            Planned = r.Planned,
            IsNew = !applied.Contains(DowntimeKey(r.Code ?? "")),
        }));
        draft.ScrapReasons.AddRange((model.ScrapReasons ?? []).OfType<ScrapReasonModel>().Select(r => new ScrapReasonDraft
        {
            Code = r.Code ?? "",
            Name = r.Name ?? "",
            Category = r.Category ?? "",
            IsNew = !applied.Contains(ScrapKey(r.Code ?? "")),
        }));
        return draft;
    }

    /// <summary>
    /// The keys of everything in a model whose id or code must not change once applied: the paths of sites, lines and
    /// machines (<c>plant1/assembly/press-3</c>) and the reason codes (<c>downtime:E12</c>, <c>scrap:S01</c>).
    /// </summary>
    public static IReadOnlySet<string> KeysOf(PlantModel model) =>
        model.Sites.SelectMany(s => new[] { s.Id }
            .Concat(s.Lines.Select(l => $"{s.Id}/{l.Id}"))
            .Concat(s.Lines.SelectMany(l => l.Machines.Select(m => $"{s.Id}/{l.Id}/{m.Id}"))))
            .Concat(model.DowntimeReasons.Select(r => DowntimeKey(r.Code)))
            .Concat(model.ScrapReasons.Select(r => ScrapKey(r.Code)))
            .ToHashSet(StringComparer.Ordinal);

    private static string DowntimeKey(string code) => $"downtime:{code}";

    private static string ScrapKey(string code) => $"scrap:{code}";

    /// <summary>The document this draft stands for; texts are trimmed as people type stray spaces.</summary>
    public PlantModel ToModel() => new(
        [.. Sites.Select(s => new SiteModel(
            s.Id.Trim(), s.Name.Trim(), s.TimeZone.Trim(),
            [.. s.Shifts.Select(sh => new ShiftModel(sh.Name.Trim(), sh.Start.Trim(), sh.End.Trim(),
                [.. sh.Breaks.Select(b => new BreakModel(b.Start.Trim(), b.End.Trim()))]))],
            [.. s.Lines.Select(l => new LineModel(l.Id.Trim(), l.Name.Trim(),
                [.. l.Machines.Select(m => new MachineModel(m.Id.Trim(), m.Name.Trim(), m.IdealCycleTimeSeconds, m.MicroStopThresholdSeconds, m.OfflineAfterSeconds, m.NoCountStopCycles))]))]))],
        [.. DowntimeReasons.Select(r => new DowntimeReasonModel(r.Code.Trim(), r.Name.Trim(), r.Category.Trim(), r.Planned))],
        [.. ScrapReasons.Select(r => new ScrapReasonModel(r.Code.Trim(), r.Name.Trim(), r.Category.Trim()))]);
}

public sealed class SiteDraft
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string TimeZone { get; set; } = "";

    /// <summary>Not applied yet: its id may still change.</summary>
    public bool IsNew { get; set; } = true;

    public List<ShiftDraft> Shifts { get; } = [];

    public List<LineDraft> Lines { get; } = [];
}

public sealed class ShiftDraft
{
    public string Name { get; set; } = "";

    public string Start { get; set; } = "";

    public string End { get; set; } = "";

    public List<BreakDraft> Breaks { get; set; } = [];
}

public sealed class BreakDraft
{
    public string Start { get; set; } = "";

    public string End { get; set; } = "";
}

public sealed class LineDraft
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public bool IsNew { get; set; } = true;

    public List<MachineDraft> Machines { get; } = [];
}

public sealed class MachineDraft
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public double IdealCycleTimeSeconds { get; set; }

    /// <summary>Null: the default of <see cref="MachineModel.DefaultMicroStopThresholdSeconds"/> seconds.</summary>
    public double? MicroStopThresholdSeconds { get; set; }

    /// <summary>Kept as the model has it (no field on the page yet), so that editing a machine never resets it.</summary>
    public double? OfflineAfterSeconds { get; set; }

    /// <summary>Kept as the model has it (no field on the page yet), so that editing a machine never resets it.</summary>
    public double? NoCountStopCycles { get; set; }

    public bool IsNew { get; set; } = true;
}

/// <summary>What downtime and scrap reasons have in common, for the one reason editor.</summary>
public interface IReasonDraft
{
    string Code { get; set; }

    string Name { get; set; }

    string Category { get; set; }

    bool IsNew { get; }
}

public sealed class DowntimeReasonDraft : IReasonDraft
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string Category { get; set; } = "";

    public bool Planned { get; set; }

    /// <summary>Not applied yet: its code may still change (recorded stops refer to applied codes).</summary>
    public bool IsNew { get; set; } = true;
}

public sealed class ScrapReasonDraft : IReasonDraft
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string Category { get; set; } = "";

    /// <summary>Not applied yet: its code may still change (recorded scrap refers to applied codes).</summary>
    public bool IsNew { get; set; } = true;
}
