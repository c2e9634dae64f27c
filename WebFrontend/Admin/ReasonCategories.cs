namespace MesOrleans.WebFrontend.Admin;

/// <summary>Categories to suggest for reason codes: the usual ones and those the plant already uses. Any text is allowed.</summary>
public static class ReasonCategories
{
    private static readonly string[] Downtime =
        ["breakdown", "minor-stop", "setup", "idle", "quality-check", "planned-maintenance", "planned-stop"];

    private static readonly string[] Scrap = ["production-reject", "startup-reject"];

    public static IReadOnlyList<string> ForDowntime(PlantDraft draft) => Merge(Downtime, draft.DowntimeReasons.Select(r => r.Category));

    public static IReadOnlyList<string> ForScrap(PlantDraft draft) => Merge(Scrap, draft.ScrapReasons.Select(r => r.Category));

    private static List<string> Merge(IEnumerable<string> usual, IEnumerable<string> used) =>
        usual.Concat(used.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
}
