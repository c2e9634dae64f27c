using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.WebFrontend.Operator;

namespace MesOrleans.WebFrontend.ComponentTests.Operator;

public sealed class StationEventsTests
{
    private const string Machine = "plant1/assembly/press-2";
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_machines_own_counts_do_not_push_out_what_people_entered()
    {
        var scrap = Event(MachineEventKind.Counted, EventSource.Operator, 0) with { ScrapDelta = 2, ReasonCode = "S01" };
        var stop = Event(MachineEventKind.StateChanged, EventSource.Telemetry, 1) with { State = MachineState.Down };
        var counts = Enumerable.Range(2, 30).Select(i => Event(MachineEventKind.Counted, EventSource.Telemetry, i) with { TotalDelta = 5 }).ToList();
        var newestFirst = counts.Append(stop).Append(scrap).OrderByDescending(e => e.RecordedAt).ToList();

        var listed = StationEvents.Merge(newestFirst.Take(20), newestFirst);

        Assert.Equal([stop.Id, scrap.Id], listed.Select(e => e.Id));
        Assert.Equal(counts[^1].Timestamp, StationEvents.LastMachineCount(newestFirst, known: null));
    }

    [Fact]
    public void Newer_events_come_first_and_each_once()
    {
        var known = Enumerable.Range(0, 10).Select(i => Event(MachineEventKind.Counted, EventSource.Operator, i)).Reverse().ToList();
        var newer = Event(MachineEventKind.Voided, EventSource.Operator, 10);

        var listed = StationEvents.Merge([newer, known[0], known[1]], known);

        Assert.Equal(StationEvents.Listed, listed.Count);
        Assert.Equal(newer.Id, listed[0].Id);
        Assert.Equal(listed.Count, listed.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void The_last_machine_count_is_kept_when_newer_events_have_none() =>
        Assert.Equal(T0, StationEvents.LastMachineCount([Event(MachineEventKind.StateChanged, EventSource.Telemetry, 3)], T0));

    [Theory]
    [InlineData("Machine 'plant1/assembly/press-2' counts its parts itself; good counts by hand would count them twice.", "Press 2 counts its parts itself; good counts by hand would count them twice.")]
    [InlineData("Machine 'plant1/assembly/press-2' has no open stop.", "Press 2 has no open stop.")]
    [InlineData("'E99' is not a downtime reason.", "'E99' is not a downtime reason.")]
    public void Messages_name_the_machine_not_its_path(string message, string shown) =>
        Assert.Equal(shown, StationMessages.ForOperator(message, EquipmentPath.Parse(Machine), "Press 2"));

    private static MachineEvent Event(MachineEventKind kind, EventSource source, int minute) =>
        new(Guid.NewGuid(), Machine, kind, T0.AddMinutes(minute), T0.AddMinutes(minute), source);
}
