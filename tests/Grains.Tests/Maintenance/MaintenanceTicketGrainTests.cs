using MesOrleans.Errors;
using MesOrleans.Maintenance;
using MesOrleans.Plant;
using MesOrleans.Tests.Cluster;

namespace MesOrleans.Tests.Maintenance;

[Collection(ClusterCollection.Name)]
public sealed class MaintenanceTicketGrainTests(ClusterFixture fixture)
{
    private IMaintenanceBoardGrain Board => fixture.Grains.GetGrain<IMaintenanceBoardGrain>(ClusterPlant.SiteId);

    [Fact]
    public async Task A_ticket_walks_from_open_to_closed_and_the_queue_follows_it()
    {
        var machine = await fixture.AddMachineAsync();
        var opened = await Board.OpenTicketAsync(new OpenTicket(machine.ToString(), "  Guard rattles ", TicketPriority.High, "Anna", "left side"));

        Assert.True(TicketId.TryParse(opened.Id, out var site, out _));
        Assert.Equal(ClusterPlant.SiteId, site);
        Assert.Equal((TicketStatus.Open, TicketOrigin.Manual, "Guard rattles", "Anna"), (opened.Status, opened.Origin, opened.Title, opened.OpenedBy));
        Assert.Equal("left side", Assert.Single(opened.Notes).Text);
        // Tickets hold their notes in a list, so records are compared by content, not with Equals.
        Assert.Equivalent(opened, (await Board.GetQueueAsync()).Single(t => t.Id == opened.Id), strict: true);

        var ticket = Ticket(opened.Id);
        var acknowledged = await ticket.AcknowledgeAsync("Ben");
        var started = await ticket.StartAsync("Ben");
        var noted = await ticket.AddNoteAsync("Ben", "bracket cracked");
        var resolved = await ticket.ResolveAsync("Ben", "Cracked bracket", "Welded and bolted");

        Assert.Equal((TicketStatus.Acknowledged, "Ben"), (acknowledged.Status, acknowledged.AcknowledgedBy));
        Assert.Equal((TicketStatus.InProgress, "Ben"), (started.Status, started.StartedBy));
        Assert.Equal(["left side", "bracket cracked"], noted.Notes.Select(n => n.Text));
        Assert.Equal((TicketStatus.Resolved, "Cracked bracket", "Welded and bolted"), (resolved.Status, resolved.RootCause, resolved.Action));
        Assert.True(opened.OpenedAt <= acknowledged.AcknowledgedAt && acknowledged.AcknowledgedAt <= started.StartedAt && started.StartedAt <= resolved.ResolvedAt);
        Assert.Equivalent(resolved, (await Board.GetQueueAsync()).Single(t => t.Id == opened.Id), strict: true);

        var closed = await ticket.CloseAsync("Carla");

        Assert.Equal((TicketStatus.Closed, "Carla"), (closed.Status, closed.ClosedBy));
        Assert.Equivalent(closed, await ticket.GetAsync(), strict: true);
        Assert.DoesNotContain(await Board.GetQueueAsync(), t => t.Id == opened.Id);
    }

    [Fact]
    public async Task Steps_out_of_order_are_conflicts_and_change_nothing()
    {
        var ticket = Ticket((await OpenAsync()).Id);

        await AssertRefused(MesErrorKind.Conflict, () => ticket.StartAsync("Ben"));
        await AssertRefused(MesErrorKind.Conflict, () => ticket.ResolveAsync("Ben", "cause", "action"));
        await AssertRefused(MesErrorKind.Conflict, () => ticket.CloseAsync("Ben"));
        await ticket.AcknowledgeAsync("Ben");
        await AssertRefused(MesErrorKind.Conflict, () => ticket.AcknowledgeAsync("Ben"));
        await AssertRefused(MesErrorKind.Conflict, () => ticket.CloseAsync("Ben"));
        await ticket.StartAsync("Ben");
        await AssertRefused(MesErrorKind.Conflict, () => ticket.StartAsync("Ben"));
        await AssertRefused(MesErrorKind.Conflict, () => ticket.CloseAsync("Ben"));
        var before = await ticket.GetAsync();

        await AssertRefused(MesErrorKind.Conflict, () => ticket.OpenAsync(new NewTicket(before.MachineId, "again", TicketOrigin.Manual, TicketPriority.Low, "Ben")));
        Assert.Equivalent(before, await ticket.GetAsync(), strict: true);

        await ticket.ResolveAsync("Ben", "cause", "action");
        await ticket.CloseAsync("Ben");
        await AssertRefused(MesErrorKind.Conflict, () => ticket.CloseAsync("Ben"));
        await AssertRefused(MesErrorKind.Conflict, () => ticket.AddNoteAsync("Ben", "too late"));
    }

    [Fact]
    public async Task Resolving_needs_a_root_cause_and_an_action_and_every_step_needs_a_name()
    {
        var ticket = Ticket((await OpenAsync()).Id);
        await AssertRefused(MesErrorKind.Invalid, () => ticket.AcknowledgeAsync("  "));
        await ticket.AcknowledgeAsync("Ben");
        await ticket.StartAsync("Ben");

        var refused = await AssertRefused(MesErrorKind.Invalid, () => ticket.ResolveAsync("Ben", " ", ""));
        Assert.Equal(["$.rootCause", "$.action"], refused.Problems.Select(p => p.Path));
        var nameless = await AssertRefused(MesErrorKind.Invalid, () => ticket.ResolveAsync("", "cause", "action"));
        Assert.Equal("$.by", Assert.Single(nameless.Problems).Path);

        Assert.Equal(TicketStatus.InProgress, (await ticket.GetAsync()).Status);
    }

    [Fact]
    public async Task Opening_by_hand_is_checked_against_the_plant()
    {
        var machine = await fixture.AddMachineAsync();
        var unknown = $"{ClusterPlant.SiteId}/{ClusterPlant.LineId}/no-such-machine";

        var refused = await AssertRefused(MesErrorKind.Invalid, () => Board.OpenTicketAsync(new OpenTicket(unknown, "", TicketPriority.Normal, "")));
        Assert.Equal(["$.title", "$.openedBy", "$.machineId"], refused.Problems.Select(p => p.Path));
        var elsewhere = await AssertRefused(MesErrorKind.Invalid, () => Board.OpenTicketAsync(new OpenTicket("other/line1/m1", "Leak", TicketPriority.Normal, "Anna")));
        Assert.Equal("$.machineId", Assert.Single(elsewhere.Problems).Path);
        await AssertRefused(MesErrorKind.NotFound, () =>
            fixture.Grains.GetGrain<IMaintenanceBoardGrain>("no-such-site").OpenTicketAsync(new OpenTicket(machine.ToString(), "Leak", TicketPriority.Normal, "Anna")));
        await AssertRefused(MesErrorKind.NotFound, () => Ticket(TicketId.Format(ClusterPlant.SiteId, 999_999)).GetAsync());
    }

    [Fact]
    public async Task A_breakdown_raises_one_urgent_ticket_per_stop()
    {
        var machine = (await fixture.AddMachineAsync()).ToString();
        var stop = Guid.NewGuid();
        var since = DateTimeOffset.UtcNow.AddMinutes(-3);

        var first = await Board.ReportBreakdownAsync(new BreakdownReport(machine, stop, "E12", since));
        var again = await Board.ReportBreakdownAsync(new BreakdownReport(machine, stop, "E12", since.AddMinutes(1)));
        var other = await Board.ReportBreakdownAsync(new BreakdownReport(machine, Guid.NewGuid(), null, since));

        Assert.Equivalent(first, again, strict: true);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal((TicketOrigin.Breakdown, TicketPriority.Urgent, stop, "E12", since), (first.Origin, first.Priority, first.StopId, first.ReasonCode, first.StopStartedAt));
        Assert.Equal("Breakdown: Hydraulic fault (E12)", first.Title);
        Assert.Equal("Breakdown", other.Title);
        Assert.Single(await Board.GetQueueAsync(), t => t.StopId == stop);

        // Still the same ticket once it is closed: the stop has its ticket.
        var ticket = Ticket(first.Id);
        await ticket.AcknowledgeAsync("Ben");
        await ticket.StartAsync("Ben");
        await ticket.ResolveAsync("Ben", "Worn seal", "Seal replaced");
        var closed = await ticket.CloseAsync("Ben");
        Assert.Equivalent(closed, await Board.ReportBreakdownAsync(new BreakdownReport(machine, stop, "E12", since)), strict: true);
    }

    [Fact]
    public async Task The_same_fault_again_before_its_ticket_is_resolved_continues_that_ticket()
    {
        var machine = (await fixture.AddMachineAsync()).ToString();
        var since = DateTimeOffset.UtcNow.AddMinutes(-40);
        var first = await Board.ReportBreakdownAsync(new BreakdownReport(machine, Guid.NewGuid(), "E12", since));
        await Ticket(first.Id).AcknowledgeAsync("Ben");

        // After a planned break the machine stops with the same fault: the ticket goes on, with a note.
        var resumed = await Board.ReportBreakdownAsync(new BreakdownReport(machine, Guid.NewGuid(), "E12", since.AddMinutes(30)));
        Assert.Equal(first.Id, resumed.Id);
        Assert.Equal(TicketStatus.Acknowledged, resumed.Status);
        Assert.Contains("same fault", Assert.Single(resumed.Notes).Text);

        // Another fault is another ticket; so is the same fault once the first is resolved.
        var other = await Board.ReportBreakdownAsync(new BreakdownReport(machine, Guid.NewGuid(), "JAM", since.AddMinutes(32)));
        Assert.NotEqual(first.Id, other.Id);
        await Ticket(first.Id).StartAsync("Ben");
        await Ticket(first.Id).ResolveAsync("Ben", "Worn seal", "Seal replaced");
        var again = await Board.ReportBreakdownAsync(new BreakdownReport(machine, Guid.NewGuid(), "E12", since.AddMinutes(35)));
        Assert.NotEqual(first.Id, again.Id);
        Assert.Equal(3, (await Board.GetQueueAsync()).Count(t => t.MachineId == machine));
    }

    [Fact]
    public async Task Kpis_of_a_machine_follow_its_tickets_times()
    {
        var machine = (await fixture.AddMachineAsync()).ToString();
        var from = DateTimeOffset.UtcNow.AddHours(-1);
        var stopStart = DateTimeOffset.UtcNow.AddMinutes(-30);
        var breakdown = Ticket((await Board.ReportBreakdownAsync(new BreakdownReport(machine, Guid.NewGuid(), "E12", stopStart))).Id);
        var acknowledged = await breakdown.AcknowledgeAsync("Ben");
        await breakdown.StartAsync("Ben");
        var resolved = await breakdown.ResolveAsync("Ben", "Worn seal", "Seal replaced");
        var manual = Ticket((await Board.OpenTicketAsync(new OpenTicket(machine, "Check guard", TicketPriority.Low, "Anna"))).Id);
        var manualAcknowledged = await manual.AcknowledgeAsync("Carla");

        var kpis = await Board.GetKpisAsync(from, from.AddHours(2));

        var row = kpis.Machines.Single(m => m.Scope == machine);
        Assert.Equal((2, 1, 2, 1), (row.Tickets, row.Breakdowns, row.Acknowledged, row.Resolved));
        Assert.Equal(resolved.ResolvedAt - stopStart, row.MeanTimeToRepair);
        var responses = new[] { acknowledged.AcknowledgedAt - acknowledged.OpenedAt, manualAcknowledged.AcknowledgedAt - manualAcknowledged.OpenedAt };
        Assert.Equal(TimeSpan.FromTicks(responses.Sum(r => r!.Value.Ticks) / 2), row.MeanResponseTime);
        // The board knows no run time: MTBF comes with the run time read from history (MaintenanceKpis.WithRunTimes).
        Assert.Null(row.MeanTimeBetweenFailures);
        Assert.Null(kpis.IncompleteBefore);

        await AssertRefused(MesErrorKind.Invalid, () => Board.GetKpisAsync(from, from));
    }

    [Fact]
    public async Task Observers_hear_of_every_change_and_learn_when_they_must_read_the_queue_again()
    {
        var machine = (await fixture.AddMachineAsync()).ToString();
        var heard = new Listener();
        var reference = fixture.Cluster.Client.CreateObjectReference<IMaintenanceBoardObserver>(heard);

        Assert.True(await Board.SubscribeAsync(reference));
        Assert.False(await Board.SubscribeAsync(reference));
        var opened = await Board.OpenTicketAsync(new OpenTicket(machine, "Noise", TicketPriority.Normal, "Anna"));
        await Ticket(opened.Id).AcknowledgeAsync("Ben");

        // Notifications are one-way messages: both arrive, in either order.
        var statuses = new[] { (await heard.NextAsync(opened.Id)).Status, (await heard.NextAsync(opened.Id)).Status };
        Assert.Equal([TicketStatus.Open, TicketStatus.Acknowledged], statuses.Order());
        await Board.UnsubscribeAsync(reference);
    }

    private async Task<MaintenanceTicket> OpenAsync()
    {
        var machine = await fixture.AddMachineAsync();
        return await Board.OpenTicketAsync(new OpenTicket(machine.ToString(), "Leak", TicketPriority.Normal, "Anna"));
    }

    private IMaintenanceTicketGrain Ticket(string id) => fixture.Grains.GetGrain<IMaintenanceTicketGrain>(id);

    private static async Task<MesCommandException> AssertRefused(MesErrorKind kind, Func<Task> command)
    {
        var refused = await Assert.ThrowsAsync<MesCommandException>(command);
        Assert.Equal(kind, refused.Kind);
        return refused;
    }

    /// <summary>Collects notifications; other tests' tickets on the same board are skipped.</summary>
    private sealed class Listener : IMaintenanceBoardObserver
    {
        private readonly System.Threading.Channels.Channel<MaintenanceTicket> _heard = System.Threading.Channels.Channel.CreateUnbounded<MaintenanceTicket>();

        public void TicketChanged(MaintenanceTicket ticket) => _heard.Writer.TryWrite(ticket);

        public async Task<MaintenanceTicket> NextAsync(string id)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var ticket = await _heard.Reader.ReadAsync(timeout.Token);
                if (ticket.Id == id)
                {
                    return ticket;
                }
            }
        }
    }
}
