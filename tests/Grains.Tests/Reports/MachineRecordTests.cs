using MesOrleans.Machines;
using MesOrleans.Reports;
using MesOrleans.Time;
using static MesOrleans.Tests.Oee.Events;

namespace MesOrleans.Tests.Reports;

public sealed class MachineRecordTests
{
    private static readonly TimeRange Shift = new(At(6), At(14));

    [Fact]
    public void Stops_show_their_pieces_after_splits_and_recodes_entries_show_whether_they_count()
    {
        var running = State(At(5), MachineState.Running);
        var jam = State(At(8), MachineState.Down, "E12");
        var back = State(At(9), MachineState.Running);
        var scrap = Count(At(9, 30), 3, 3) with { Source = EventSource.Operator, ReasonCode = "S01", Actor = "Anna" };
        var events = new[]
        {
            running, jam, back, scrap,
            Recode(jam, "JAM", At(10)) with { Actor = "Sam", Note = "it was a jam" },
            Split(jam, At(8, 40), "PM") with { Actor = "Sam", Note = "maintenance took over" },
            Void(scrap, At(11)) with { Actor = "Sam", Note = "counted twice" },
        };

        var record = MachineRecord.Build(events, Shift, now: At(12), _ => false);

        var stop = Assert.Single(record.Stops);
        Assert.Equal((jam.Id, At(8), At(9), false), (stop.StopId, stop.Start, stop.End, stop.Open));
        Assert.Equal([new StopPiece(At(8), At(8, 40), "JAM"), new StopPiece(At(8, 40), At(9), "PM")], stop.Pieces);
        var entry = Assert.Single(record.Entries);
        Assert.True(entry.Voided);
        Assert.Equal(
            [(MachineEventKind.StopRecoded, "Sam", "it was a jam"), (MachineEventKind.Voided, "Sam", "counted twice"), (MachineEventKind.StopSplit, "Sam", "maintenance took over")],
            record.Corrections.Select(c => (c.Kind, c.By!, c.Why!)));
    }

    [Fact]
    public void A_stop_still_going_is_open_up_to_now_and_one_past_the_window_up_to_its_end()
    {
        var down = State(At(13), MachineState.Down);

        var now = Assert.Single(MachineRecord.Build([down], Shift, now: At(13, 30), _ => false).Stops);
        var past = Assert.Single(MachineRecord.Build([down], Shift, now: At(20), _ => false).Stops);

        Assert.Equal((At(13, 30), true), (now.End, now.Open));
        Assert.Equal((At(14), true), (past.End, past.Open));
    }

    [Fact]
    public void A_stop_in_effect_when_the_window_starts_is_listed_whole_and_machine_counts_are_no_entries()
    {
        var down = State(At(5), MachineState.Idle);
        var back = State(At(6, 30), MachineState.Running);

        var record = MachineRecord.Build([down, back, Count(At(7), 100)], Shift, now: At(12), _ => false);

        Assert.Equal(At(5), Assert.Single(record.Stops).Start);
        Assert.Empty(record.Entries);
    }
}
