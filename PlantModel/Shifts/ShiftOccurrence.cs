using MesOrleans.Time;

namespace MesOrleans.Shifts;

/// <summary>
/// One shift on one day. <paramref name="Day"/> is the local date the shift starts on; <paramref name="Range"/>
/// and <paramref name="Breaks"/> are in UTC, the breaks sorted and within the range.
/// </summary>
public sealed record ShiftOccurrence(string Name, DateOnly Day, TimeRange Range, IReadOnlyList<TimeRange> Breaks);
