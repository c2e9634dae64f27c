using MesOrleans.Errors;
using MesOrleans.Machines;
using MesOrleans.Maintenance;
using MesOrleans.WebFrontend.Components.Pages.Maintenance;
using MesOrleans.WebFrontend.Maintenance;
using Radzen.Blazor;

namespace MesOrleans.WebFrontend.ComponentTests.Maintenance;

public sealed class TicketCardTests : RadzenContext
{
    private static readonly MaintenanceTicket Open = new(
        "plant1-0042", "plant1/assembly/press-1", "Oil leak", TicketOrigin.Manual, TicketPriority.High, TicketStatus.Open,
        new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero), "Anna");

    private readonly List<TicketStep> _steps = [];

    [Theory]
    [InlineData(TicketStatus.Open, "Acknowledge")]
    [InlineData(TicketStatus.Acknowledged, "Start")]
    [InlineData(TicketStatus.InProgress, "Resolve")]
    [InlineData(TicketStatus.Resolved, "Close")]
    public void The_one_step_button_is_the_next_step_of_the_status(TicketStatus status, string step)
    {
        var card = RenderCard(Open with { Status = status });

        var buttons = card.FindAll("footer button[data-step]").Select(b => b.GetAttribute("data-step")).ToList();

        Assert.Equal([step, "Note"], buttons);
        Assert.Equal(status.ToString(), card.Find("article").GetAttribute("data-status"));
    }

    [Fact]
    public async Task A_step_is_taken_and_the_button_moves_on_with_the_status()
    {
        var ticket = Open;
        var card = RenderCard(ticket);

        await card.Find("button[data-step=Acknowledge]").ClickAsync(new());
        card.Render(p => p.Add(c => c.Ticket, ticket with { Status = TicketStatus.Acknowledged, AcknowledgedBy = "Ben", AcknowledgedAt = ticket.OpenedAt.AddMinutes(3) }));

        Assert.Equal(TicketStepKind.Acknowledge, Assert.Single(_steps).Kind);
        Assert.Empty(card.FindAll("button[data-step=Acknowledge]"));
        Assert.NotNull(card.Find("button[data-step=Start]"));
        Assert.Contains("06:03 by Ben", card.Find(".mes-ticket-steps").TextContent);
    }

    [Fact]
    public void Without_a_name_no_step_can_be_taken()
    {
        var card = RenderCard(Open, who: " ");

        Assert.All(card.FindAll("footer button"), b => Assert.True(b.HasAttribute("disabled")));
    }

    [Fact]
    public void Without_a_name_the_card_says_why_its_buttons_are_grey()
    {
        Assert.Contains("Enter your name", RenderCard(Open, who: "").Find("[data-role=why-disabled]").TextContent);
        Assert.Empty(RenderCard(Open, who: "Ben").FindAll("[data-role=why-disabled]"));
    }

    [Fact]
    public void A_breakdown_ticket_says_when_its_machine_runs_again()
    {
        var stopped = Open.OpenedAt.AddMinutes(-5);
        var ticket = Open with { Origin = TicketOrigin.Breakdown, StopStartedAt = stopped };
        var running = new MachineStatus(Open.MachineId, "Press 1", MachineState.Running, Open.OpenedAt.AddMinutes(30), null, null, null, false);

        var card = RenderCard(ticket, machine: running);

        var live = card.Find("[data-role=machine-state]");
        Assert.Equal("Running", live.GetAttribute("data-state"));
        Assert.Matches("Runs again since .*06:30", live.TextContent);

        card.Render(p => p.Add(c => c.Machine, running with { State = MachineState.Down, Since = stopped }));
        Assert.Matches("Down since .*05:55", card.Find("[data-role=machine-state]").TextContent);
    }

    [Theory]
    [InlineData(42, "42 s")]
    [InlineData(7 * 60 + 11, "7 min 11 s")]
    [InlineData(3600 + 2 * 60 + 3, "1 h 02 min")]
    [InlineData(2 * 86400 + 3 * 3600, "2 d 3 h")]
    [InlineData(-5, "0 s")]
    public void A_tickets_age_cannot_be_taken_for_a_time_of_day(int seconds, string shown) =>
        Assert.Equal(shown, DurationText.Age(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public async Task A_refused_step_says_why_on_the_card()
    {
        var card = RenderCard(Open, takeStep: _ => throw MesCommandException.Conflict("Ticket 'plant1-0042' is acknowledged; only a ticket that is open can be acknowledged."));

        await card.Find("button[data-step=Acknowledge]").ClickAsync(new());

        Assert.Contains("only a ticket that is open can be acknowledged", card.Find(".mes-ticket-error").TextContent);
    }

    [Fact]
    public async Task Resolving_opens_a_dialog_that_needs_a_root_cause_and_an_action()
    {
        var dialogs = Render<RadzenDialog>();
        var card = RenderCard(Open with { Status = TicketStatus.InProgress });

        _ = card.Find("button[data-step=Resolve]").ClickAsync(new());
        dialogs.WaitForElement("textarea[name=RootCause]");

        await dialogs.Find("form").SubmitAsync();
        Assert.Contains("The root cause is required", dialogs.Markup);
        Assert.Contains("The action is required", dialogs.Markup);
        Assert.Empty(_steps);

        await dialogs.Find("textarea[name=RootCause]").ChangeAsync(new() { Value = "Worn seal" });
        await dialogs.Find("textarea[name=Action]").ChangeAsync(new() { Value = "Seal replaced" });
        await dialogs.Find("form").SubmitAsync();

        var step = Assert.Single(_steps);
        Assert.Equal((TicketStepKind.Resolve, "Worn seal", "Seal replaced"), (step.Kind, step.RootCause, step.Action));
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("textarea[name=RootCause]")));
    }

    private IRenderedComponent<TicketCard> RenderCard(
        MaintenanceTicket ticket, string who = "Ben", Func<TicketStep, Task>? takeStep = null, MachineStatus? machine = null) =>
        Render<TicketCard>(p => p
            .Add(c => c.Ticket, ticket)
            .Add(c => c.Machine, machine)
            .Add(c => c.MachineName, "Press 1")
            .Add(c => c.Zone, TimeZoneInfo.Utc)
            .Add(c => c.Who, who)
            .Add(c => c.TakeStep, takeStep ?? (step =>
            {
                _steps.Add(step);
                return Task.CompletedTask;
            })));
}
