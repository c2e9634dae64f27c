using MesOrleans.Plant;

namespace MesOrleans.Simulator;

/// <summary>
/// The plant's downtime reason codes that simulated PLCs report, picked by the categories the demo plant uses. A plant
/// without a fitting reason gets stops without a reason code, as from a PLC that sends none.
/// </summary>
internal sealed class ReasonCatalog
{
    private ReasonCatalog(PlantModel model)
    {
        var unplanned = model.DowntimeReasons.Where(r => !r.Planned).ToList();
        Breakdowns = Codes(unplanned, "breakdown");
        MinorStops = Codes(unplanned, "minor-stop");
        Waiting = Codes(unplanned, "idle");
        Changeover = Codes(unplanned, "setup").FirstOrDefault();
        Break = model.DowntimeReasons
            .Where(r => r.Planned)
            .FirstOrDefault(r => Mentions(r, "break"))?.Code;
    }

    /// <summary>Reasons of category <c>breakdown</c>.</summary>
    public IReadOnlyList<string> Breakdowns { get; }

    /// <summary>Reasons of category <c>minor-stop</c>.</summary>
    public IReadOnlyList<string> MinorStops { get; }

    /// <summary>Reasons of category <c>idle</c> (no material, no operator).</summary>
    public IReadOnlyList<string> Waiting { get; }

    /// <summary>The first reason of category <c>setup</c>.</summary>
    public string? Changeover { get; }

    /// <summary>The planned reason for shift breaks: the first planned reason that says "break".</summary>
    public string? Break { get; }

    public static ReasonCatalog From(PlantModel model) => new(model);

    /// <summary>One of <paramref name="codes"/>, or null when there is none.</summary>
    public static string? Pick(IReadOnlyList<string> codes, Random random) =>
        codes.Count == 0 ? null : codes[random.Next(codes.Count)];

    private static List<string> Codes(IEnumerable<DowntimeReasonModel> reasons, string category) =>
        reasons.Where(r => string.Equals(r.Category, category, StringComparison.OrdinalIgnoreCase)).Select(r => r.Code).ToList();

    private static bool Mentions(DowntimeReasonModel reason, string word) =>
        reason.Code.Contains(word, StringComparison.OrdinalIgnoreCase)
        || reason.Name.Contains(word, StringComparison.OrdinalIgnoreCase)
        || reason.Category.Contains(word, StringComparison.OrdinalIgnoreCase);
}
