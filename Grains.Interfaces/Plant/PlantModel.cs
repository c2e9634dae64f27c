namespace MesOrleans.Plant;

// The plant model document: the JSON file an admin writes, what GET /api/plant returns and PUT /api/plant takes.
// Times stay strings ("06:00") so that a document round-trips exactly and validation can name every bad value.

/// <summary>The whole plant: sites with their shifts, lines and machines, and the reason catalogs.</summary>
[GenerateSerializer, Immutable, Alias("mes.PlantModel")]
public sealed record PlantModel(
    [property: Id(0)] IReadOnlyList<SiteModel> Sites,
    [property: Id(1)] IReadOnlyList<DowntimeReasonModel> DowntimeReasons,
    [property: Id(2)] IReadOnlyList<ScrapReasonModel> ScrapReasons)
{
    /// <summary>A model with nothing in it.</summary>
    public static PlantModel Empty { get; } = new([], [], []);
}

/// <summary>A site: a plant with its own time zone and shift calendar.</summary>
[GenerateSerializer, Immutable, Alias("mes.SiteModel")]
public sealed record SiteModel(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] IReadOnlyList<ShiftModel> Shifts,
    [property: Id(4)] IReadOnlyList<LineModel> Lines);

/// <summary>A shift in the site's local time, e.g. 22:00–06:00; a shift whose end is not after its start crosses midnight.</summary>
[GenerateSerializer, Immutable, Alias("mes.ShiftModel")]
public sealed record ShiftModel(
    [property: Id(0)] string Name,
    [property: Id(1)] string Start,
    [property: Id(2)] string End,
    [property: Id(3)] IReadOnlyList<BreakModel> Breaks);

/// <summary>A planned break within a shift, in the site's local time.</summary>
[GenerateSerializer, Immutable, Alias("mes.BreakModel")]
public sealed record BreakModel(
    [property: Id(0)] string Start,
    [property: Id(1)] string End);

/// <summary>A production line.</summary>
[GenerateSerializer, Immutable, Alias("mes.LineModel")]
public sealed record LineModel(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<MachineModel> Machines);

/// <summary>
/// A machine (work unit). Optional settings: <see cref="MicroStopThresholdSeconds"/> (stops shorter than this are
/// minor stops), <see cref="OfflineAfterSeconds"/> (a running machine silent this long turns offline) and
/// <see cref="NoCountStopCycles"/> (a machine that reports counts but no states, and counts nothing for this many
/// ideal cycles during a shift, gets an unassigned stop).
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.MachineModel")]
public sealed record MachineModel(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] double IdealCycleTimeSeconds,
    [property: Id(3)] double? MicroStopThresholdSeconds = null,
    [property: Id(4)] double? OfflineAfterSeconds = null,
    [property: Id(5)] double? NoCountStopCycles = null)
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

/// <summary>A scrap reason code.</summary>
[GenerateSerializer, Immutable, Alias("mes.ScrapReasonModel")]
public sealed record ScrapReasonModel(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string Category);

/// <summary>A plant model with the version the plant-model grain gave it when it was applied.</summary>
[GenerateSerializer, Immutable, Alias("mes.PlantModelSnapshot")]
public sealed record PlantModelSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] PlantModel Model,
    [property: Id(2)] IReadOnlyList<string> RetiredMachines);
