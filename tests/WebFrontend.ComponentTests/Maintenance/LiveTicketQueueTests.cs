using MesOrleans.Maintenance;
using MesOrleans.WebFrontend.Maintenance;

namespace MesOrleans.WebFrontend.ComponentTests.Maintenance;

public sealed class LiveTicketQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Changes_that_arrive_while_the_queue_is_read_are_kept_when_they_are_later()
    {
        var queue = new LiveTicketQueue();
        queue.Apply(Ticket("a-0001", TicketStatus.Acknowledged));
        queue.Apply(Ticket("a-0002", TicketStatus.Closed));

        queue.Load([Ticket("a-0001", TicketStatus.Open), Ticket("a-0002", TicketStatus.Resolved), Ticket("a-0003", TicketStatus.Open)]);

        Assert.Equal([("a-0003", TicketStatus.Open), ("a-0001", TicketStatus.Acknowledged)], queue.Tickets.Select(t => (t.Id, t.Status)));
    }

    [Fact]
    public void An_older_view_never_replaces_a_newer_one_and_closed_tickets_leave()
    {
        var queue = new LiveTicketQueue();
        queue.Load([Ticket("a-0001", TicketStatus.InProgress)]);

        Assert.False(queue.Apply(Ticket("a-0001", TicketStatus.Acknowledged)));
        Assert.True(queue.Apply(Ticket("a-0001", TicketStatus.InProgress) with { Notes = [new TicketNote(T0, "Ben", "parts ordered")] }));
        Assert.Single(queue.Tickets[0].Notes);
        Assert.True(queue.Apply(Ticket("a-0001", TicketStatus.Closed)));
        Assert.False(queue.Apply(Ticket("a-0001", TicketStatus.Resolved)));
        Assert.Empty(queue.Tickets);
    }

    [Fact]
    public void The_queue_is_ordered_by_status_then_urgency_then_age()
    {
        var queue = new LiveTicketQueue();

        queue.Load(
        [
            Ticket("a-0001", TicketStatus.InProgress, TicketPriority.Urgent, 0),
            Ticket("a-0002", TicketStatus.Open, TicketPriority.Normal, 5),
            Ticket("a-0003", TicketStatus.Open, TicketPriority.Normal, 1),
            Ticket("a-0004", TicketStatus.Open, TicketPriority.Urgent, 9),
        ]);

        Assert.Equal(["a-0004", "a-0003", "a-0002", "a-0001"], queue.Tickets.Select(t => t.Id));
    }

    private static MaintenanceTicket Ticket(string id, TicketStatus status, TicketPriority priority = TicketPriority.Normal, int openedMinute = 0) =>
        new(id, "a/line/m1", "Leak", TicketOrigin.Manual, priority, status, T0.AddMinutes(openedMinute), "Anna");
}
