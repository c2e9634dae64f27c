using MesOrleans.Errors;
using MesOrleans.Maintenance;
using MesOrleans.WebFrontend.Components.Pages.Maintenance;

namespace MesOrleans.WebFrontend.ComponentTests.Maintenance;

public sealed class ResolveTicketDialogTests : RadzenContext
{
    private static readonly MaintenanceTicket InProgress = new(
        "plant1-0042", "plant1/assembly/press-1", "Oil leak", TicketOrigin.Manual, TicketPriority.High, TicketStatus.InProgress,
        new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero), "Anna");

    [Fact]
    public async Task What_the_ticket_refuses_is_shown_at_its_field()
    {
        var dialog = Render<ResolveTicketDialog>(p => p
            .Add(c => c.Ticket, InProgress)
            .Add(c => c.Resolve, (_, _) => throw MesCommandException.Invalid("Ticket 'plant1-0042' cannot be resolved", [new("$.rootCause", "The root cause is required.")])));

        await dialog.Find("textarea[name=RootCause]").ChangeAsync(new() { Value = "   " });
        await dialog.Find("textarea[name=Action]").ChangeAsync(new() { Value = "Seal replaced" });
        await dialog.Find("form").SubmitAsync();

        Assert.Equal("The root cause is required.", dialog.Find("[data-problem-path='$.rootCause']").TextContent);
        Assert.Empty(dialog.FindAll("[data-problem-path='$.action']"));
    }
}
