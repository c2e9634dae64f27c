namespace MesOrleans.Quality;

/// <summary>
/// A part number's quality record, keyed by the part number: its inspection plan and its inspections (the newest
/// 20,000 of the last 400 days), from which SPC charts its measured characteristics. A first-article inspection of an
/// order opens or closes that order's quality gate. Refused commands throw <see cref="Errors.MesCommandException"/>.
/// </summary>
[Alias("mes.IPartQualityGrain")]
public interface IPartQualityGrain : IGrainWithStringKey
{
    /// <summary>The plan, or null when the part has none.</summary>
    [Alias("GetPlan")]
    Task<InspectionPlan?> GetPlanAsync();

    /// <summary>Replaces the plan (every problem by its JSON path).</summary>
    [Alias("SetPlan")]
    Task<InspectionPlan> SetPlanAsync(InspectionPlan plan);

    /// <summary>
    /// Judges an inspection against the plan and records it; a first article of an order passes or fails that order's
    /// gate, and the inspection goes onto its site's quality board.
    /// </summary>
    [Alias("Inspect")]
    Task<Inspection> InspectAsync(InspectionInput inspection);

    /// <summary>Inspections made in [from, to), oldest first.</summary>
    [Alias("GetInspections")]
    Task<IReadOnlyList<Inspection>> GetInspectionsAsync(DateTimeOffset from, DateTimeOffset to);
}

/// <summary>
/// A site's quality board, keyed by site id: its recent inspections, and its non-conformance reports with their
/// dispositions and corrective actions. Refused commands throw <see cref="Errors.MesCommandException"/>.
/// </summary>
[Alias("mes.IQualityBoardGrain")]
public interface IQualityBoardGrain : IGrainWithStringKey
{
    /// <summary>How many recent inspections the board keeps.</summary>
    public const int RecentInspections = 500;

    /// <summary>Puts an inspection on the board (called by the part's grain).</summary>
    [Alias("Note")]
    Task NoteInspectionAsync(Inspection inspection);

    /// <summary>The newest inspections, newest first.</summary>
    [Alias("Recent")]
    Task<IReadOnlyList<Inspection>> GetRecentInspectionsAsync(int count);

    /// <summary>Opens a non-conformance report.</summary>
    [Alias("OpenNcr")]
    Task<Ncr> OpenNcrAsync(NewNcr ncr);

    /// <summary>Decides what becomes of the parts: open → dispositioned.</summary>
    [Alias("Disposition")]
    Task<Ncr> DispositionAsync(int ncrId, Disposition disposition, string by);

    /// <summary>Closes a dispositioned report whose actions are done.</summary>
    [Alias("CloseNcr")]
    Task<Ncr> CloseNcrAsync(int ncrId, string by);

    /// <summary>Adds a corrective action.</summary>
    [Alias("AddAction")]
    Task<Ncr> AddActionAsync(int ncrId, string title, string owner, DateOnly due);

    /// <summary>Moves a corrective action on.</summary>
    [Alias("SetAction")]
    Task<Ncr> SetActionStatusAsync(int ncrId, int actionId, ActionStatus status);

    /// <summary>Reports opened in [from, to), and every report still open, newest first.</summary>
    [Alias("GetNcrs")]
    Task<IReadOnlyList<Ncr>> GetNcrsAsync(DateTimeOffset from, DateTimeOffset to);
}
