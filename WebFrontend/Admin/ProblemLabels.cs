using System.Text.RegularExpressions;
using MesOrleans.Errors;

namespace MesOrleans.WebFrontend.Admin;

/// <summary>
/// Says where a problem is in words an admin recognises ("Site 'Plant 1' › line 'Assembly' › machine 'Press 1' ›
/// ideal cycle time") rather than as a JSON path, and on which tab of the admin page it is.
/// </summary>
public static partial class ProblemLabels
{
    public enum Tab
    {
        Sites,
        Shifts,
        DowntimeReasons,
        ScrapReasons,
        Products,
        Document,
    }

    public static Tab TabOf(string path) => path switch
    {
        _ when path.StartsWith(PlantPath.DowntimeReasons, StringComparison.Ordinal) => Tab.DowntimeReasons,
        _ when path.StartsWith(PlantPath.ScrapReasons, StringComparison.Ordinal) => Tab.ScrapReasons,
        _ when path.StartsWith(PlantPath.Products, StringComparison.Ordinal) => Tab.Products,
        _ when path.Contains(".shifts", StringComparison.Ordinal)
            || path.Contains(".holidays", StringComparison.Ordinal)
            || path.Contains(".calendarExceptions", StringComparison.Ordinal) => Tab.Shifts,
        _ when path.StartsWith(PlantPath.Sites, StringComparison.Ordinal) => Tab.Sites,
        _ => Tab.Document,
    };

    /// <summary>"Site 'Plant 1' › line 'Assembly' › machine 'Press 1' › ideal cycle time: must be greater than 0 seconds".</summary>
    public static string Describe(PlantDraft draft, ValidationProblem problem)
    {
        var parts = new List<string>();
        SiteDraft? site = null;
        LineDraft? line = null;
        ShiftDraft? shift = null;
        foreach (Match segment in Segment().Matches(problem.Path))
        {
            var name = segment.Groups["name"].Value;
            int? index = segment.Groups["index"].Success ? int.Parse(segment.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            switch (name, index)
            {
                case ("sites", { } i):
                    site = draft.Sites.ElementAtOrDefault(i);
                    parts.Add($"Site {Label(site?.Name, i)}");
                    break;
                case ("lines", { } i):
                    line = site?.Lines.ElementAtOrDefault(i);
                    parts.Add($"line {Label(line?.Name, i)}");
                    break;
                case ("machines", { } i):
                    parts.Add($"machine {Label(line?.Machines.ElementAtOrDefault(i)?.Name, i)}");
                    break;
                case ("shifts", { } i):
                    shift = site?.Shifts.ElementAtOrDefault(i);
                    parts.Add($"shift {Label(shift?.Name, i)}");
                    break;
                case ("breaks", { } i):
                    parts.Add($"break {i + 1}");
                    break;
                case ("days", { } i):
                    parts.Add($"day {i + 1}");
                    break;
                case ("holidays", { } i):
                    parts.Add($"holiday {Label(site?.Holidays.ElementAtOrDefault(i), i)}");
                    break;
                case ("calendarExceptions", { } i):
                    var change = site?.Exceptions.ElementAtOrDefault(i);
                    parts.Add($"one-off change {Label(change is null ? null : $"{change.Date} {change.Name}".Trim(), i)}");
                    break;
                case ("downtimeReasons", { } i):
                    parts.Add($"Downtime reason {Label(draft.DowntimeReasons.ElementAtOrDefault(i)?.Code, i)}");
                    break;
                case ("scrapReasons", { } i):
                    parts.Add($"Scrap reason {Label(draft.ScrapReasons.ElementAtOrDefault(i)?.Code, i)}");
                    break;
                case ("products", { } i):
                    parts.Add($"Product {Label(draft.Products.ElementAtOrDefault(i)?.PartNumber, i)}");
                    break;
                default:
                    parts.Add(Field(name));
                    break;
            }
        }

        return parts.Count == 0 ? problem.Message : $"{string.Join(" › ", parts)}: {problem.Message}";
    }

    private static string Label(string? name, int index) => string.IsNullOrWhiteSpace(name) ? $"#{index + 1}" : $"'{name}'";

    private static string Field(string name) => name switch
    {
        "timeZone" => "time zone",
        "idealCycleTimeSeconds" => "ideal cycle time",
        "microStopThresholdSeconds" => "micro-stop threshold",
        "downtimeReasons" => "downtime reasons",
        "scrapReasons" => "scrap reasons",
        "machineCategories" => "machine categories",
        "calendarExceptions" => "one-off changes",
        "partNumber" => "part number",
        "countingMachineId" => "counting machine",
        "machines" => "time on machine",
        _ => name,
    };

    [GeneratedRegex(@"\.(?<name>[A-Za-z]+)(\[(?<index>\d+)\])?")]
    private static partial Regex Segment();
}
