namespace MesOrleans.Maintenance;

/// <summary>
/// A site's maintenance board, keyed by the site id: it hands out ticket numbers, holds the live queue of tickets
/// that are not closed (each ticket reports every change to it), keeps closed tickets for a bounded time for the
/// KPIs, and tells subscribed observers about every change. Unknown sites throw NotFound.
/// </summary>
[Alias("mes.IMaintenanceBoardGrain")]
public interface IMaintenanceBoardGrain : IGrainWithStringKey
{
    /// <summary>Opens a ticket by hand on a machine of this site (Invalid for an unknown machine, a blank title or name).</summary>
    [Alias("OpenTicket")]
    Task<MaintenanceTicket> OpenTicketAsync(OpenTicket command);

    /// <summary>
    /// Opens an urgent breakdown ticket for a machine stop, once per stop: reporting a stop again returns the ticket
    /// it already has, whatever that ticket's status. A stop of a machine whose breakdown ticket for the same reason
    /// is not resolved yet continues that ticket (a note says so) instead of opening another. Called by the machine
    /// grain when a breakdown stop outlasts the machine's micro-stop threshold.
    /// </summary>
    [Alias("ReportBreakdown")]
    Task<MaintenanceTicket> ReportBreakdownAsync(BreakdownReport report);

    /// <summary>Every ticket that is not closed, in <see cref="MaintenanceTicket.QueueOrder"/>.</summary>
    [Alias("GetQueue")]
    Task<IReadOnlyList<MaintenanceTicket>> GetQueueAsync();

    /// <summary>
    /// Maintenance KPIs per machine and for the site over the tickets opened in [<paramref name="from"/>,
    /// <paramref name="to"/>) (Invalid unless from &lt; to). See <see cref="MaintenanceKpi"/> for the definitions; MTBF
    /// needs run time, which the board does not know: <see cref="MaintenanceKpis.WithRunTimes"/> adds it.
    /// </summary>
    [Alias("GetKpis")]
    Task<MaintenanceKpis> GetKpisAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>A ticket of this site changed (or was opened): called by the ticket grains.</summary>
    [Alias("TicketChanged")]
    Task TicketChangedAsync(MaintenanceTicket ticket);

    /// <summary>
    /// Subscribes an observer, or renews its subscription. Subscriptions expire a few minutes after the last renewal
    /// (<see cref="SubscriptionLifetime"/>), so subscribers renew well within that. Returns true when the board did not
    /// know the observer, for example because the board was reactivated: the subscriber may have missed changes
    /// and should read the queue again.
    /// </summary>
    [Alias("Subscribe")]
    Task<bool> SubscribeAsync(IMaintenanceBoardObserver observer);

    /// <summary>Ends a subscription.</summary>
    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IMaintenanceBoardObserver observer);

    /// <summary>How long a subscription lives without renewal.</summary>
    static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(5);
}

/// <summary>Hears about every change on a site's maintenance board.</summary>
[Alias("mes.IMaintenanceBoardObserver")]
public interface IMaintenanceBoardObserver : IGrainObserver
{
    /// <summary>A ticket was opened or changed; a closed ticket has left the queue. One-way: the board does not wait.</summary>
    [Alias("TicketChanged")]
    void TicketChanged(MaintenanceTicket ticket);
}
