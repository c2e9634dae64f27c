using MesOrleans.Errors;
using MesOrleans.Placement;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Maintenance;

/// <summary>The persisted ticket; null until it is opened.</summary>
public sealed class MaintenanceTicketState
{
    public MaintenanceTicket? Ticket { get; set; }
}

/// <inheritdoc cref="IMaintenanceTicketGrain" />
/// <remarks>
/// The ticket is the system of record; the board's queue is a view of it. A change is stored first and then
/// reported to the board; if the board cannot be reached, the ticket keeps trying on a timer until it can, so the
/// queue catches up instead of losing the change.
/// </remarks>
[PlaceByTicketSite]
internal sealed class MaintenanceTicketGrain(
    [PersistentState("ticket", MesStorage.Name)] IPersistentState<MaintenanceTicketState> state,
    TimeProvider time,
    ILogger<MaintenanceTicketGrain> logger) : Grain, IMaintenanceTicketGrain
{
    private static readonly TimeSpan BoardRetryPeriod = TimeSpan.FromSeconds(10);

    private IGrainTimer? _boardRetry;

    private string Id => this.GetPrimaryKeyString();

    public async Task<MaintenanceTicket> OpenAsync(NewTicket ticket)
    {
        if (state.State.Ticket is not null)
        {
            throw MesCommandException.Conflict($"Ticket '{Id}' exists already.");
        }

        if (!TicketId.TryParse(Id, out var site, out _))
        {
            throw MesCommandException.Invalid($"'{Id}' is not a ticket id like 'plant1-0042'.");
        }

        TicketRules.ThrowIfAny(TicketRules.Check(ticket, site), $"Ticket '{Id}' cannot be opened");
        var now = time.GetUtcNow();
        var openedBy = ticket.OpenedBy.Trim();
        return await SaveAsync(new MaintenanceTicket(
            Id, ticket.MachineId, ticket.Title.Trim(), ticket.Origin, ticket.Priority, TicketStatus.Open, now, openedBy)
        {
            StopId = ticket.StopId,
            ReasonCode = ticket.ReasonCode,
            StopStartedAt = ticket.StopStartedAt?.ToUniversalTime(),
            Notes = string.IsNullOrWhiteSpace(ticket.Note) ? [] : [new TicketNote(now, openedBy, ticket.Note.Trim())],
        });
    }

    public Task<MaintenanceTicket> AcknowledgeAsync(string who)
    {
        var by = TicketRules.Who(who);
        var ticket = RequireStatus(TicketStatus.Open, "acknowledged");
        return SaveAsync(ticket with { Status = TicketStatus.Acknowledged, AcknowledgedAt = time.GetUtcNow(), AcknowledgedBy = by });
    }

    public Task<MaintenanceTicket> StartAsync(string who)
    {
        var by = TicketRules.Who(who);
        var ticket = RequireStatus(TicketStatus.Acknowledged, "started");
        return SaveAsync(ticket with { Status = TicketStatus.InProgress, StartedAt = time.GetUtcNow(), StartedBy = by });
    }

    public Task<MaintenanceTicket> ResolveAsync(string who, string rootCause, string action)
    {
        // Every missing field at once, so that a form can mark them all.
        var problems = new List<ValidationProblem>();
        var by = TicketRules.Who(problems, who);
        var cause = TicketRules.Text(problems, rootCause, "$.rootCause", "The root cause");
        var done = TicketRules.Text(problems, action, "$.action", "The action taken");
        TicketRules.ThrowIfAny(problems, $"Ticket '{Id}' cannot be resolved");

        var ticket = RequireStatus(TicketStatus.InProgress, "resolved");
        return SaveAsync(ticket with
        {
            Status = TicketStatus.Resolved,
            ResolvedAt = time.GetUtcNow(),
            ResolvedBy = by!,
            RootCause = cause!,
            Action = done!,
        });
    }

    public Task<MaintenanceTicket> CloseAsync(string who)
    {
        var by = TicketRules.Who(who);
        var ticket = RequireStatus(TicketStatus.Resolved, "closed");
        return SaveAsync(ticket with { Status = TicketStatus.Closed, ClosedAt = time.GetUtcNow(), ClosedBy = by });
    }

    public Task<MaintenanceTicket> AddNoteAsync(string who, string text)
    {
        var problems = new List<ValidationProblem>();
        var by = TicketRules.Who(problems, who);
        var note = TicketRules.Text(problems, text, "$.text", "The note");
        TicketRules.ThrowIfAny(problems, $"The note cannot be added to ticket '{Id}'");
        var ticket = Require();
        if (ticket.Status == TicketStatus.Closed)
        {
            throw MesCommandException.Conflict($"Ticket '{Id}' is closed; it takes no more notes.");
        }

        return SaveAsync(ticket with { Notes = [.. ticket.Notes, new TicketNote(time.GetUtcNow(), by!, note!)] });
    }

    public Task<MaintenanceTicket> GetAsync() => Task.FromResult(Require());

    private async Task<MaintenanceTicket> SaveAsync(MaintenanceTicket ticket)
    {
        state.State.Ticket = ticket;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The live state is ahead of what was stored: start again from storage rather than serve it.
            DeactivateOnIdle();
            throw;
        }

        await TellBoardAsync();
        return ticket;
    }

    private async Task TellBoardAsync()
    {
        var ticket = state.State.Ticket!;
        try
        {
            await GrainFactory.GetGrain<IMaintenanceBoardGrain>(SiteOf(ticket)).TicketChangedAsync(ticket);
            _boardRetry?.Dispose();
            _boardRetry = null;
        }
        catch (Exception exception) when (exception is not MesCommandException)
        {
            logger.LogWarning(exception, "Ticket {Ticket} could not reach its board; retrying every {Period}", Id, BoardRetryPeriod);
            _boardRetry ??= this.RegisterGrainTimer(TellBoardAsync, BoardRetryPeriod, BoardRetryPeriod);
        }
    }

    private static string SiteOf(MaintenanceTicket ticket) => ticket.MachineId[..ticket.MachineId.IndexOf('/', StringComparison.Ordinal)];

    private MaintenanceTicket Require() =>
        state.State.Ticket ?? throw MesCommandException.NotFound($"There is no ticket '{Id}'.");

    private MaintenanceTicket RequireStatus(TicketStatus expected, string verb)
    {
        var ticket = Require();
        return ticket.Status == expected
            ? ticket
            : throw MesCommandException.Conflict($"Ticket '{Id}' is {Describe(ticket.Status)}; only a ticket that is {Describe(expected)} can be {verb}.");
    }

    private static string Describe(TicketStatus status) => status switch
    {
        TicketStatus.InProgress => "in progress",
        _ => status.ToString().ToLowerInvariant(),
    };
}
