using MesOrleans.Shifts;
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

    public List<ProductDraft> Products { get; } = [];

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
                Breaks = BreakDraft.From(shift.Breaks),
                Days = shift.Days is null ? null : [.. shift.Days],
            }));
            siteDraft.Holidays.AddRange(site.Holidays ?? []);
            siteDraft.Exceptions.AddRange((site.CalendarExceptions ?? []).OfType<CalendarExceptionModel>().Select(e => new CalendarExceptionDraft
            {
                Date = e.Date ?? "",
                Kind = e.Kind ?? CalendarExceptionModel.ShiftKind,
                Name = e.Name ?? "",
                Start = e.Start ?? "",
                End = e.End ?? "",
                Breaks = e.Breaks is null ? null : BreakDraft.From(e.Breaks),
            }));
            foreach (var line in (site.Lines ?? []).OfType<LineModel>())
            {
                var linePath = $"{site.Id}/{line.Id}";
                var lineDraft = new LineDraft { Id = line.Id ?? "", Name = line.Name ?? "", CountingMachineId = line.CountingMachineId ?? "", IsNew = !applied.Contains(linePath) };
                lineDraft.Machines.AddRange((line.Machines ?? []).OfType<MachineModel>().Select(m => new MachineDraft
                {
                    Id = m.Id ?? "",
                    Name = m.Name ?? "",
                    IdealCycleTimeSeconds = m.IdealCycleTimeSeconds,
                    MicroStopThresholdSeconds = m.MicroStopThresholdSeconds,
                    OfflineAfterSeconds = m.OfflineAfterSeconds,
                    NoCountStopCycles = m.NoCountStopCycles,
                    Category = m.Category ?? "",
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
            Lines = r.Lines is null ? [] : [.. r.Lines],
            MachineCategories = r.MachineCategories is null ? [] : [.. r.MachineCategories],
            IsNew = !applied.Contains(ScrapKey(r.Code ?? "")),
        }));
        draft.Products.AddRange((model.Products ?? []).OfType<ProductModel>().Select(p => new ProductDraft
        {
            PartNumber = p.PartNumber ?? "",
            Name = p.Name ?? "",
            IdealCycleTimeSeconds = p.IdealCycleTimeSeconds,
            MachineTimes = ProductDraft.Text(p.Machines),
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

    /// <summary>
    /// The document this draft stands for; texts are trimmed as people type stray spaces. Optional fields left empty
    /// stay out of the document, so that a file that did not have them comes back as it was.
    /// </summary>
    public PlantModel ToModel() => new(
        [.. Sites.Select(s => new SiteModel(
            s.Id.Trim(), s.Name.Trim(), s.TimeZone.Trim(),
            [.. s.Shifts.Select(sh => new ShiftModel(sh.Name.Trim(), sh.Start.Trim(), sh.End.Trim(), BreakDraft.ToModels(sh.Breaks), sh.Days is null ? null : [.. sh.Days]))],
            [.. s.Lines.Select(l => new LineModel(l.Id.Trim(), l.Name.Trim(),
                [.. l.Machines.Select(m => new MachineModel(
                    m.Id.Trim(), m.Name.Trim(), m.IdealCycleTimeSeconds, m.MicroStopThresholdSeconds, m.OfflineAfterSeconds, m.NoCountStopCycles, OrNull(m.Category)))],
                OrNull(l.CountingMachineId)))],
            s.Holidays.Count == 0 ? null : [.. s.Holidays.Select(h => h.Trim())],
            s.Exceptions.Count == 0 ? null : [.. s.Exceptions.Select(e => new CalendarExceptionModel(
                e.Date.Trim(), e.Kind, e.Name.Trim(), e.Start.Trim(), e.End.Trim(), e.Breaks is null ? null : BreakDraft.ToModels(e.Breaks)))]))],
        [.. DowntimeReasons.Select(r => new DowntimeReasonModel(r.Code.Trim(), r.Name.Trim(), r.Category.Trim(), r.Planned))],
        [.. ScrapReasons.Select(r => new ScrapReasonModel(
            r.Code.Trim(), r.Name.Trim(), r.Category.Trim(),
            r.Lines.Count == 0 ? null : [.. r.Lines],
            r.MachineCategories.Count == 0 ? null : [.. r.MachineCategories]))],
        Products.Count == 0 ? null : [.. Products.Select(p => new ProductModel(p.PartNumber.Trim(), p.Name.Trim(), p.IdealCycleTimeSeconds, ProductDraft.Times(p.MachineTimes)))]);

    private static string? OrNull(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public sealed class SiteDraft
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string TimeZone { get; set; } = "";

    /// <summary>Not applied yet: its id may still change.</summary>
    public bool IsNew { get; set; } = true;

    public List<ShiftDraft> Shifts { get; } = [];

    /// <summary>Local dates ("2026-12-25") on which no shift starts.</summary>
    public List<string> Holidays { get; } = [];

    /// <summary>One-off extra shifts and planned stops.</summary>
    public List<CalendarExceptionDraft> Exceptions { get; } = [];

    public List<LineDraft> Lines { get; } = [];
}

public sealed class ShiftDraft
{
    public string Name { get; set; } = "";

    public string Start { get; set; } = "";

    public string End { get; set; } = "";

    public List<BreakDraft> Breaks { get; set; } = [];

    /// <summary>The weekdays the shift starts on ("mon" … "sun"); null: every day.</summary>
    public List<string>? Days { get; set; }

    /// <summary>True when the shift starts on <paramref name="day"/>.</summary>
    public bool RunsOn(string day) => Days is null || Days.Contains(day);

    /// <summary>Turns a weekday on or off; all seven on is every day, and leaves the field out of the document.</summary>
    public void Toggle(string day)
    {
        var days = Days ?? [.. CalendarText.Weekdays];
        if (!days.Remove(day))
        {
            days.Add(day);
        }

        Days = days.Count == CalendarText.Weekdays.Count
            ? null
            : [.. CalendarText.Weekdays.Where(days.Contains)];
    }
}

public sealed class BreakDraft
{
    public string Start { get; set; } = "";

    public string End { get; set; } = "";

    public static List<BreakDraft> From(IReadOnlyList<BreakModel>? breaks) =>
        [.. (breaks ?? []).OfType<BreakModel>().Select(b => new BreakDraft { Start = b.Start ?? "", End = b.End ?? "" })];

    public static List<BreakModel> ToModels(IEnumerable<BreakDraft> breaks) => [.. breaks.Select(b => new BreakModel(b.Start.Trim(), b.End.Trim()))];
}

/// <summary>An extra shift or a planned stop on one date (see <see cref="CalendarExceptionModel"/>).</summary>
public sealed class CalendarExceptionDraft
{
    public string Date { get; set; } = "";

    public string Kind { get; set; } = CalendarExceptionModel.ShiftKind;

    public string Name { get; set; } = "";

    public string Start { get; set; } = "";

    public string End { get; set; } = "";

    /// <summary>Kept as the model has them (the page does not edit the breaks of an extra shift yet).</summary>
    public List<BreakDraft>? Breaks { get; set; }
}

public sealed class LineDraft
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public bool IsNew { get; set; } = true;

    public List<MachineDraft> Machines { get; } = [];

    /// <summary>The machine that counts the line's output; empty: the last one.</summary>
    public string CountingMachineId { get; set; } = "";
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

    /// <summary>What kind of machine it is (e.g. press), for scrap reasons offered by category; empty: none.</summary>
    public string Category { get; set; } = "";

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

    /// <summary>The line paths (site/line) the reason is offered on; with <see cref="MachineCategories"/> empty too: everywhere.</summary>
    public List<string> Lines { get; set; } = [];

    /// <summary>The machine categories the reason is offered for.</summary>
    public List<string> MachineCategories { get; set; } = [];

    /// <summary>Not applied yet: its code may still change (recorded scrap refers to applied codes).</summary>
    public bool IsNew { get; set; } = true;
}

/// <summary>
/// A product: part number, name, ideal cycle time, and per machine its own time as text people type:
/// <c>press-1=28, plant1/assembly/press-2=35</c>.
/// </summary>
public sealed class ProductDraft
{
    public string PartNumber { get; set; } = "";

    public string Name { get; set; } = "";

    public double IdealCycleTimeSeconds { get; set; } = 30;

    public string MachineTimes { get; set; } = "";

    public static string Text(IReadOnlyDictionary<string, double>? times) =>
        times is null ? "" : string.Join(", ", times.Select(t => $"{t.Key}={t.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>
    /// The per-machine times the text names; null when it names none. A value that is not a number becomes NaN, so that
    /// validation names it by its machine instead of it disappearing.
    /// </summary>
    public static Dictionary<string, double>? Times(string text)
    {
        var times = new Dictionary<string, double>();
        foreach (var pair in text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var machine = (at < 0 ? pair : pair[..at]).Trim();
            times[machine] = at >= 0 && double.TryParse(pair[(at + 1)..].Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : double.NaN;
        }

        return times.Count == 0 ? null : times;
    }
}
