using MesOrleans.Machines;
using MesOrleans.WebFrontend.Operator;

namespace MesOrleans.WebFrontend.ComponentTests.Operator;

public sealed class ReasonUsageTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Stops_and_recodes_count_as_uses_of_a_downtime_reason_and_scrap_entries_of_a_scrap_reason()
    {
        MachineEvent[] events =
        [
            Event(MachineEventKind.StateChanged, "E12"),
            Event(MachineEventKind.StateChanged, "e12"),
            Event(MachineEventKind.StopRecoded, "NM"),
            Event(MachineEventKind.StateChanged, null),
            Event(MachineEventKind.Counted, "S01") with { TotalDelta = 2, ScrapDelta = 2 },
            Event(MachineEventKind.Counted, null) with { TotalDelta = 10 },
        ];

        var downtime = ReasonUsage.Downtime(events);
        var scrap = ReasonUsage.Scrap(events);

        Assert.Equal(2, downtime["E12"]);
        Assert.Equal(1, downtime["NM"]);
        Assert.Equal(2, downtime.Count);
        Assert.Equal(1, Assert.Single(scrap).Value);
    }

    [Fact]
    public void An_event_read_from_the_grain_and_from_history_counts_once()
    {
        var stop = Event(MachineEventKind.StateChanged, "E12");

        Assert.Equal(1, ReasonUsage.Downtime([stop, stop])["E12"]);
    }

    private static MachineEvent Event(MachineEventKind kind, string? reason) =>
        new(Guid.NewGuid(), "plant1/assembly/press-1", kind, At, At, EventSource.Operator) { ReasonCode = reason };
}
