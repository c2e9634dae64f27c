namespace MesOrleans.Maintenance;

/// <summary>The board's live part, written on every ticket change: the number counter and the tickets not closed.</summary>
public sealed class MaintenanceBoardState
{
    /// <summary>The last ticket number handed out; numbers are never reused, a failed opening leaves a gap.</summary>
    public int LastNumber { get; set; }

    public Dictionary<string, MaintenanceTicket> Queue { get; set; } = [];
}

/// <summary>
/// Closed tickets, kept for the KPIs and written only when a ticket closes. The history store's schema is owned
/// elsewhere, so the board keeps them itself, bounded by <see cref="ClosedTicketRetention"/>, without their notes.
/// </summary>
public sealed class MaintenanceArchiveState
{
    public List<MaintenanceTicket> Closed { get; set; } = [];

    /// <summary>Tickets opened before this instant may have been dropped from <see cref="Closed"/>.</summary>
    public DateTimeOffset? IncompleteBefore { get; set; }
}
