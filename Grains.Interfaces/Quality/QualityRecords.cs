using System.Text.Json.Serialization;

namespace MesOrleans.Quality;

/// <summary>How a characteristic is inspected.</summary>
public enum CharacteristicKind
{
    /// <summary>Measured values, each within <see cref="Characteristic.Lower"/> and <see cref="Characteristic.Upper"/>; charted by SPC.</summary>
    Measured,

    /// <summary>Looked at: pass or fail.</summary>
    PassFail,
}

/// <summary>When an inspection is made.</summary>
public enum InspectionKind
{
    /// <summary>The first part(s) of an order: may gate the order's good count.</summary>
    FirstArticle,

    /// <summary>During production.</summary>
    InProcess,

    /// <summary>Of finished parts.</summary>
    Final,
}

/// <summary>What becomes of non-conforming parts.</summary>
public enum Disposition
{
    /// <summary>The parts are scrapped.</summary>
    Scrap,

    /// <summary>The parts are reworked: not good the first time.</summary>
    Rework,

    /// <summary>The parts are used as they are, by concession.</summary>
    UseAsIs,

    /// <summary>The parts go back to the vendor.</summary>
    ReturnToVendor,
}

/// <summary>Where a non-conformance report is in its life: open → dispositioned → closed.</summary>
public enum NcrStatus
{
    /// <summary>Reported; nothing decided yet.</summary>
    Open,

    /// <summary>What becomes of the parts is decided.</summary>
    Dispositioned,

    /// <summary>Dispositioned and every corrective action done.</summary>
    Closed,
}

/// <summary>Where a corrective action stands.</summary>
public enum ActionStatus
{
    /// <summary>Not begun.</summary>
    Open,

    /// <summary>Being done.</summary>
    InProgress,

    /// <summary>Done.</summary>
    Done,
}

/// <summary>Control limits a plan fixes for a chart instead of computing them from the data.</summary>
[GenerateSerializer, Immutable, Alias("mes.ControlLimits")]
public sealed record ControlLimits(
    [property: Id(0)] double Center,
    [property: Id(1)] double Ucl,
    [property: Id(2)] double Lcl);

/// <summary>
/// One characteristic of a part's inspection plan. A measured one has specification limits (<see cref="Lower"/>,
/// <see cref="Upper"/>, either optional), a nominal value, a unit and a subgroup size (values per inspection, 1 to 10);
/// <see cref="XbarLimits"/> and <see cref="RangeLimits"/> fix its control limits.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.Characteristic")]
public sealed record Characteristic(
    [property: Id(0)] string Name,
    [property: Id(1)] CharacteristicKind Kind,
    [property: Id(2)] double? Nominal = null,
    [property: Id(3)] double? Lower = null,
    [property: Id(4)] double? Upper = null,
    [property: Id(5)] string? Unit = null,
    [property: Id(6)] int? SubgroupSize = null,
    [property: Id(7)] ControlLimits? XbarLimits = null,
    [property: Id(8)] ControlLimits? RangeLimits = null)
{
    /// <summary>Values per inspection of a measured characteristic.</summary>
    [JsonIgnore]
    public int ValuesPerInspection => Kind == CharacteristicKind.Measured ? SubgroupSize ?? 1 : 0;

    /// <summary>True when <paramref name="value"/> lies within the specification limits.</summary>
    public bool InSpecification(double value) => (Lower is not { } lower || value >= lower) && (Upper is not { } upper || value <= upper);
}

/// <summary>A part's inspection plan: its characteristics, and whether an order needs a passed first article before it counts good parts.</summary>
[GenerateSerializer, Immutable, Alias("mes.InspectionPlan")]
public sealed record InspectionPlan(
    [property: Id(0)] string PartNumber,
    [property: Id(1)] IReadOnlyList<Characteristic> Characteristics,
    [property: Id(2)] bool FirstArticleRequired = false,
    [property: Id(3)] DateTimeOffset? UpdatedAt = null,
    [property: Id(4)] string? UpdatedBy = null);

/// <summary>What was found for one characteristic: the measured values, or pass or fail.</summary>
[GenerateSerializer, Immutable, Alias("mes.CharacteristicResult")]
public sealed record CharacteristicResult(
    [property: Id(0)] string Characteristic,
    [property: Id(1)] IReadOnlyList<double>? Values = null,
    [property: Id(2)] bool? Pass = null);

/// <summary>An inspection as quality staff record it, at a site, of a part and optionally of an order.</summary>
[GenerateSerializer, Immutable, Alias("mes.InspectionInput")]
public sealed record InspectionInput(
    [property: Id(0)] string PartNumber,
    [property: Id(1)] string? OrderNumber,
    [property: Id(2)] string Site,
    [property: Id(3)] InspectionKind Kind,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] IReadOnlyList<CharacteristicResult> Results,
    [property: Id(6)] string? Inspector);

/// <summary>One characteristic's result as judged against the plan.</summary>
[GenerateSerializer, Immutable, Alias("mes.CharacteristicOutcome")]
public sealed record CharacteristicOutcome(
    [property: Id(0)] string Characteristic,
    [property: Id(1)] IReadOnlyList<double>? Values,
    [property: Id(2)] bool Passed);

/// <summary>A recorded inspection: every result judged, and whether all passed.</summary>
[GenerateSerializer, Immutable, Alias("mes.Inspection")]
public sealed record Inspection(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string PartNumber,
    [property: Id(2)] string? OrderNumber,
    [property: Id(3)] string Site,
    [property: Id(4)] InspectionKind Kind,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] DateTimeOffset RecordedAt,
    [property: Id(7)] string? Inspector,
    [property: Id(8)] IReadOnlyList<CharacteristicOutcome> Results,
    [property: Id(9)] bool Passed);

/// <summary>A non-conformance to report: how many parts of which part (and order), what defect, found by whom.</summary>
[GenerateSerializer, Immutable, Alias("mes.NewNcr")]
public sealed record NewNcr(
    [property: Id(0)] string PartNumber,
    [property: Id(1)] string? OrderNumber,
    [property: Id(2)] long Quantity,
    [property: Id(3)] string DefectCode,
    [property: Id(4)] string? Description,
    [property: Id(5)] string OpenedBy);

/// <summary>A corrective action of a non-conformance: who does what by when, and how far it is.</summary>
[GenerateSerializer, Immutable, Alias("mes.CorrectiveAction")]
public sealed record CorrectiveAction(
    [property: Id(0)] int Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Owner,
    [property: Id(3)] DateOnly Due,
    [property: Id(4)] ActionStatus Status,
    [property: Id(5)] DateTimeOffset UpdatedAt);

/// <summary>A non-conformance report (NCR) of a site, with its disposition and corrective actions.</summary>
[GenerateSerializer, Immutable, Alias("mes.Ncr")]
public sealed record Ncr(
    [property: Id(0)] int Id,
    [property: Id(1)] string Site,
    [property: Id(2)] string PartNumber,
    [property: Id(3)] string? OrderNumber,
    [property: Id(4)] long Quantity,
    [property: Id(5)] string DefectCode,
    [property: Id(6)] string? Description,
    [property: Id(7)] string OpenedBy,
    [property: Id(8)] DateTimeOffset OpenedAt,
    [property: Id(9)] NcrStatus Status,
    [property: Id(10)] IReadOnlyList<CorrectiveAction> Actions)
{
    /// <summary>What becomes of the parts, once decided.</summary>
    [Id(11)] public Disposition? Disposition { get; init; }

    /// <summary>Who decided it.</summary>
    [Id(12)] public string? DispositionedBy { get; init; }

    /// <summary>When it was decided.</summary>
    [Id(13)] public DateTimeOffset? DispositionedAt { get; init; }

    /// <summary>When the report was closed.</summary>
    [Id(14)] public DateTimeOffset? ClosedAt { get; init; }
}
