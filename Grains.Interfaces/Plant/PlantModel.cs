namespace MesOrleans.Plant;

// The plant model document: the JSON file an admin writes, what GET /api/plant returns and PUT /api/plant takes.
// Times stay strings ("06:00") so that a document round-trips exactly and validation can name every bad value.

/// <summary>
/// The whole plant: sites with their shifts, lines and machines, the reason catalogs, and the products made
/// (<see cref="Products"/>, optional: a plant without them judges every machine by its own ideal cycle time).
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.PlantModel")]
public sealed record PlantModel(
    [property: Id(0)] IReadOnlyList<SiteModel> Sites,
    [property: Id(1)] IReadOnlyList<DowntimeReasonModel> DowntimeReasons,
    [property: Id(2)] IReadOnlyList<ScrapReasonModel> ScrapReasons,
    [property: Id(3)] IReadOnlyList<ProductModel>? Products = null)
{
    /// <summary>A model with nothing in it.</summary>
    public static PlantModel Empty { get; } = new([], [], []);
}

/// <summary>
/// A site: a plant with its own time zone and shift calendar. <see cref="Holidays"/> (local dates, "2026-12-25") cancel
/// every shift that starts on them; <see cref="CalendarExceptions"/> add one-off shifts and planned stops. Both are
/// optional: a site without them works its shifts every day they name.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.SiteModel")]
public sealed record SiteModel(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] IReadOnlyList<ShiftModel> Shifts,
    [property: Id(4)] IReadOnlyList<LineModel> Lines,
    [property: Id(5)] IReadOnlyList<string>? Holidays = null,
    [property: Id(6)] IReadOnlyList<CalendarExceptionModel>? CalendarExceptions = null);

/// <summary>
/// A shift in the site's local time, e.g. 22:00–06:00; a shift whose end is not after its start crosses midnight.
/// <see cref="Days"/> names the weekdays it starts on ("mon" … "sun"); without it the shift runs every day.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.ShiftModel")]
public sealed record ShiftModel(
    [property: Id(0)] string Name,
    [property: Id(1)] string Start,
    [property: Id(2)] string End,
    [property: Id(3)] IReadOnlyList<BreakModel> Breaks,
    [property: Id(4)] IReadOnlyList<string>? Days = null);

/// <summary>
/// A one-off change to a site's calendar on one local date. <see cref="Kind"/> is <c>shift</c> (an extra shift that
/// starts on <see cref="Date"/>, e.g. a Saturday; it may have <see cref="Breaks"/>) or <c>plannedStop</c> (time that
/// is not planned for production, e.g. maintenance entered in advance: it is taken out of every shift it overlaps).
/// Times are local; an end that is not after the start is on the next day.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.CalendarExceptionModel")]
public sealed record CalendarExceptionModel(
    [property: Id(0)] string Date,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Name,
    [property: Id(3)] string Start,
    [property: Id(4)] string End,
    [property: Id(5)] IReadOnlyList<BreakModel>? Breaks = null)
{
    /// <summary>An extra shift on the date.</summary>
    public const string ShiftKind = "shift";

    /// <summary>Planned time without production on the date, e.g. maintenance.</summary>
    public const string PlannedStopKind = "plannedStop";
}

/// <summary>A planned break within a shift, in the site's local time.</summary>
[GenerateSerializer, Immutable, Alias("mes.BreakModel")]
public sealed record BreakModel(
    [property: Id(0)] string Start,
    [property: Id(1)] string End);

/// <summary>
/// A production line. <see cref="CountingMachineId"/> names the machine whose counts are the line's output (and the
/// work orders' quantities); without it, the last machine of the line counts.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.LineModel")]
public sealed record LineModel(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<MachineModel> Machines,
    [property: Id(3)] string? CountingMachineId = null);

/// <summary>
/// A machine (work unit). Optional settings: <see cref="MicroStopThresholdSeconds"/> (stops shorter than this are
/// minor stops), <see cref="OfflineAfterSeconds"/> (a running machine silent this long turns offline) and
/// <see cref="NoCountStopCycles"/> (a machine that reports counts but no states, and counts nothing for this many
/// ideal cycles during a shift, gets an unassigned stop) and <see cref="Category"/> (what kind of machine it is, e.g.
/// <c>press</c>, so that scrap reasons can be offered for that kind only).
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.MachineModel")]
public sealed record MachineModel(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] double IdealCycleTimeSeconds,
    [property: Id(3)] double? MicroStopThresholdSeconds = null,
    [property: Id(4)] double? OfflineAfterSeconds = null,
    [property: Id(5)] double? NoCountStopCycles = null,
    [property: Id(6)] string? Category = null)
{
    /// <summary>Stops shorter than this are minor stops when the model does not say otherwise.</summary>
    public const double DefaultMicroStopThresholdSeconds = 120;

    /// <summary>A running machine silent for this long turns offline when the model does not say otherwise.</summary>
    public const double DefaultOfflineAfterSeconds = 300;

    /// <summary>Ideal cycles without a count before a count-only machine gets a stop, when the model does not say otherwise.</summary>
    public const double DefaultNoCountStopCycles = 10;
}

/// <summary>A downtime reason code; planned reasons (e.g. preventive maintenance) are not availability losses.</summary>
[GenerateSerializer, Immutable, Alias("mes.DowntimeReasonModel")]
public sealed record DowntimeReasonModel(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string Category,
    [property: Id(3)] bool Planned);

/// <summary>
/// A scrap reason code. It is offered on every machine unless it names where it applies: <see cref="Lines"/> (line
/// paths such as <c>plant1/assembly</c>) and <see cref="MachineCategories"/> (machine categories such as <c>press</c>);
/// a machine on one of the lines or of one of the categories is offered it.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.ScrapReasonModel")]
public sealed record ScrapReasonModel(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string Category,
    [property: Id(3)] IReadOnlyList<string>? Lines = null,
    [property: Id(4)] IReadOnlyList<string>? MachineCategories = null)
{
    /// <summary>True when the reason is offered on a machine of <paramref name="line"/> (a line path) and <paramref name="machineCategory"/>.</summary>
    public bool AppliesTo(string line, string? machineCategory) =>
        (Lines is null && MachineCategories is null)
        || (Lines?.Contains(line, StringComparer.OrdinalIgnoreCase) ?? false)
        || (machineCategory is not null && (MachineCategories?.Contains(machineCategory, StringComparer.OrdinalIgnoreCase) ?? false));
}

/// <summary>
/// A product (part number) with its ideal cycle time, and per machine where a machine makes it faster or slower:
/// <see cref="Machines"/> maps a machine id (every machine with that id) or a machine path (<c>plant1/assembly/press-1</c>,
/// that one) to its ideal cycle time in seconds. While a work order for the product runs on a line, every machine of the
/// line is judged by it.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.ProductModel")]
public sealed record ProductModel(
    [property: Id(0)] string PartNumber,
    [property: Id(1)] string Name,
    [property: Id(2)] double IdealCycleTimeSeconds,
    [property: Id(3)] IReadOnlyDictionary<string, double>? Machines = null);

/// <summary>A plant model with the version the plant-model grain gave it when it was applied.</summary>
[GenerateSerializer, Immutable, Alias("mes.PlantModelSnapshot")]
public sealed record PlantModelSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] PlantModel Model,
    [property: Id(2)] IReadOnlyList<string> RetiredMachines);
