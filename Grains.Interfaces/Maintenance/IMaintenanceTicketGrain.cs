namespace MesOrleans.Maintenance;

/// <summary>
/// One maintenance ticket, keyed by its <see cref="TicketId"/> (<c>plant1-0042</c>). It walks open → acknowledged →
/// in progress → resolved → closed; a step out of that order throws Conflict, a missing name or text throws Invalid,
/// an unknown ticket throws NotFound (all <see cref="Errors.MesCommandException"/>, and nothing changes). After every
/// change the ticket reports itself to its site's <see cref="IMaintenanceBoardGrain"/>.
/// </summary>
[Alias("mes.IMaintenanceTicketGrain")]
public interface IMaintenanceTicketGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the ticket (Conflict if it exists). The site's board calls this after it has handed out the number:
    /// open tickets through <see cref="IMaintenanceBoardGrain.OpenTicketAsync"/> or
    /// <see cref="IMaintenanceBoardGrain.ReportBreakdownAsync"/>.
    /// </summary>
    [Alias("Open")]
    Task<MaintenanceTicket> OpenAsync(NewTicket ticket);

    /// <summary>open → acknowledged: <paramref name="who"/> has seen it.</summary>
    [Alias("Acknowledge")]
    Task<MaintenanceTicket> AcknowledgeAsync(string who);

    /// <summary>acknowledged → in progress: <paramref name="who"/> starts work on the machine.</summary>
    [Alias("Start")]
    Task<MaintenanceTicket> StartAsync(string who);

    /// <summary>
    /// in progress → resolved. The root cause and the action taken are both required (Invalid, with the problems at
    /// <c>$.rootCause</c> and <c>$.action</c>). The machine's stop stays open until the machine runs again.
    /// </summary>
    [Alias("Resolve")]
    Task<MaintenanceTicket> ResolveAsync(string who, string rootCause, string action);

    /// <summary>resolved → closed: the ticket leaves the queue and is kept for the maintenance KPIs.</summary>
    [Alias("Close")]
    Task<MaintenanceTicket> CloseAsync(string who);

    /// <summary>Adds a note to a ticket that is not closed.</summary>
    [Alias("AddNote")]
    Task<MaintenanceTicket> AddNoteAsync(string who, string text);

    /// <summary>The ticket.</summary>
    [Alias("Get")]
    Task<MaintenanceTicket> GetAsync();
}
