namespace MesOrleans.Plant;

/// <summary>
/// Merges the plant model file into the current model: the file wins for what it names; machines the previous
/// file named and this one does not are dropped (and so retired); everything else added by other edits stays.
/// </summary>
internal static class PlantModelMerge
{
    public static PlantModel Merge(PlantModel current, PlantModel file, IReadOnlySet<string> previousFileMachines)
    {
        var fileSites = file.Sites.Select(s => s.Id).ToHashSet();
        var sites = file.Sites
            .Select(fileSite => MergeSite(fileSite, current.Sites.FirstOrDefault(s => s.Id == fileSite.Id), previousFileMachines))
            .Concat(current.Sites.Where(s => !fileSites.Contains(s.Id)).Select(s => KeepSite(s, previousFileMachines)))
            .ToList();

        return new PlantModel(
            sites,
            MergeByKey(file.DowntimeReasons, current.DowntimeReasons, r => r.Code),
            MergeByKey(file.ScrapReasons, current.ScrapReasons, r => r.Code),
            file.Products is null && current.Products is null ? null : MergeByKey(file.Products ?? [], current.Products ?? [], p => p.PartNumber));
    }

    private static SiteModel MergeSite(SiteModel fileSite, SiteModel? currentSite, IReadOnlySet<string> previousFileMachines)
    {
        var currentLines = currentSite?.Lines ?? [];
        var fileLines = fileSite.Lines.Select(l => l.Id).ToHashSet();
        var lines = fileSite.Lines
            .Select(fileLine =>
            {
                var currentLine = currentLines.FirstOrDefault(l => l.Id == fileLine.Id);
                var named = fileLine.Machines.Select(m => m.Id).ToHashSet();
                var kept = (currentLine?.Machines ?? [])
                    .Where(m => !named.Contains(m.Id) && !previousFileMachines.Contains($"{fileSite.Id}/{fileLine.Id}/{m.Id}"));
                return fileLine with { Machines = [.. fileLine.Machines, .. kept] };
            })
            .Concat(currentLines.Where(l => !fileLines.Contains(l.Id)).Select(l => KeepLine(fileSite.Id, l, previousFileMachines)))
            .ToList();
        return fileSite with { Lines = lines };
    }

    private static SiteModel KeepSite(SiteModel site, IReadOnlySet<string> previousFileMachines) =>
        site with { Lines = site.Lines.Select(l => KeepLine(site.Id, l, previousFileMachines)).ToList() };

    private static LineModel KeepLine(string siteId, LineModel line, IReadOnlySet<string> previousFileMachines) =>
        line with { Machines = line.Machines.Where(m => !previousFileMachines.Contains($"{siteId}/{line.Id}/{m.Id}")).ToList() };

    private static List<T> MergeByKey<T>(IReadOnlyList<T> winners, IReadOnlyList<T> others, Func<T, string> key)
    {
        var named = winners.Select(key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. winners, .. others.Where(o => !named.Contains(key(o)))];
    }
}
