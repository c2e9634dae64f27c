using MesOrleans.Machines;

namespace MesOrleans.WebFrontend.Operator;

/// <summary>How often each reason was given on a machine, counted from its events (a recode is a use, too).</summary>
public static class ReasonUsage
{
    public static IReadOnlyDictionary<string, int> Downtime(IEnumerable<MachineEvent> events) =>
        Count(events.Where(e => e.Kind is MachineEventKind.StateChanged or MachineEventKind.StopRecoded or MachineEventKind.StopSplit));

    public static IReadOnlyDictionary<string, int> Scrap(IEnumerable<MachineEvent> events) =>
        Count(events.Where(e => e.Kind == MachineEventKind.Counted && e.ScrapDelta > 0));

    private static Dictionary<string, int> Count(IEnumerable<MachineEvent> events) =>
        events
            .Where(e => !string.IsNullOrEmpty(e.ReasonCode))
            .DistinctBy(e => e.Id)
            .GroupBy(e => e.ReasonCode!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
}
