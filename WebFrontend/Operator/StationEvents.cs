using MesOrleans.Machines;

namespace MesOrleans.WebFrontend.Operator;

/// <summary>
/// What the station lists as its last events: what people entered and what the machine did (stops, runs, corrections).
/// Parts the machine counts itself arrive every few seconds and would push those out: the station shows them as one
/// running figure instead.
/// </summary>
public static class StationEvents
{
    /// <summary>How many events the station lists.</summary>
    public const int Listed = 8;

    /// <summary>True for an event the list shows: anything but the machine's own counts.</summary>
    public static bool IsListed(MachineEvent e) => !(e.Kind == MachineEventKind.Counted && e.Source != EventSource.Operator);

    /// <summary>
    /// The newest listed events, newest first by the time they were recorded, from <paramref name="newer"/> (the grain's
    /// newest) and <paramref name="known"/> (read before, or from history); an event in both counts once.
    /// </summary>
    public static IReadOnlyList<MachineEvent> Merge(IEnumerable<MachineEvent> newer, IEnumerable<MachineEvent> known) =>
        newer.Concat(known)
            .Where(IsListed)
            .DistinctBy(e => e.Id)
            .OrderByDescending(e => e.RecordedAt)
            .Take(Listed)
            .ToList();

    /// <summary>When the machine last counted parts itself, among <paramref name="events"/>; else <paramref name="known"/>.</summary>
    public static DateTimeOffset? LastMachineCount(IEnumerable<MachineEvent> events, DateTimeOffset? known) =>
        events.Where(e => e.Kind == MachineEventKind.Counted && e.Source == EventSource.Telemetry)
            .Select(e => (DateTimeOffset?)e.Timestamp)
            .Append(known)
            .Max();
}
