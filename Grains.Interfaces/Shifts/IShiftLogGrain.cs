namespace MesOrleans.Shifts;

/// <summary>What a shift achieved, as the supervisor handing over saw it.</summary>
[GenerateSerializer, Immutable, Alias("mes.ShiftSummary")]
public sealed record ShiftSummary(
    [property: Id(0)] long Good,
    [property: Id(1)] long Scrap,
    [property: Id(2)] double Oee,
    [property: Id(3)] double Availability,
    [property: Id(4)] double Performance,
    [property: Id(5)] double Quality,
    [property: Id(6)] double DowntimeMinutes,
    [property: Id(7)] IReadOnlyList<string> TopLosses);

/// <summary>A supervisor hands a shift over: its summary and a note for the next shift.</summary>
[GenerateSerializer, Immutable, Alias("mes.HandOverShift")]
public sealed record HandOverShift(
    [property: Id(0)] string ShiftName,
    [property: Id(1)] DateTimeOffset ShiftStart,
    [property: Id(2)] DateTimeOffset ShiftEnd,
    [property: Id(3)] string Author,
    [property: Id(4)] string Note,
    [property: Id(5)] ShiftSummary Summary);

/// <summary>A handover as the shift log keeps it.</summary>
[GenerateSerializer, Immutable, Alias("mes.ShiftHandover")]
public sealed record ShiftHandover(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string ShiftName,
    [property: Id(2)] DateTimeOffset ShiftStart,
    [property: Id(3)] DateTimeOffset ShiftEnd,
    [property: Id(4)] string Author,
    [property: Id(5)] string Note,
    [property: Id(6)] DateTimeOffset WrittenAt,
    [property: Id(7)] ShiftSummary Summary);

/// <summary>
/// A site's shift log, keyed by the site id: the handover notes supervisors leave for the next shift. Refused
/// commands throw <see cref="Errors.MesCommandException"/> and change nothing.
/// </summary>
[Alias("mes.IShiftLogGrain")]
public interface IShiftLogGrain : IGrainWithStringKey
{
    /// <summary>The longest note the log takes, in characters.</summary>
    const int MaxNoteLength = Errors.TextLimits.Text;

    /// <summary>Records a handover; an empty author or note, or an unknown site, is refused.</summary>
    [Alias("HandOver")]
    Task<ShiftHandover> HandOverAsync(HandOverShift handover);

    /// <summary>The newest handovers, newest first.</summary>
    [Alias("GetRecent")]
    Task<IReadOnlyList<ShiftHandover>> GetRecentAsync(int count);
}
