using MesOrleans.Maintenance;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>
/// A page's copy of a site's queue, kept current by the board's changes. Changes that arrive while the queue is
/// being read are held and applied on top of what was read, keeping whichever view of a ticket is later.
/// </summary>
public sealed class LiveTicketQueue
{
    private readonly Dictionary<string, MaintenanceTicket> _tickets = new(StringComparer.Ordinal);
    private readonly List<MaintenanceTicket> _early = [];
    private readonly HashSet<string> _closed = new(StringComparer.Ordinal);

    /// <summary>False until the first <see cref="Load"/>.</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>The tickets not closed, in queue order.</summary>
    public IReadOnlyList<MaintenanceTicket> Tickets { get; private set; } = [];

    /// <summary>Replaces the queue with what was read, then applies the changes that came in meanwhile.</summary>
    public void Load(IEnumerable<MaintenanceTicket> tickets)
    {
        _tickets.Clear();
        foreach (var ticket in tickets)
        {
            _tickets[ticket.Id] = ticket;
        }

        IsLoaded = true;
        foreach (var ticket in _early)
        {
            Merge(ticket);
        }

        _early.Clear();
        Sort();
    }

    /// <summary>Takes a changed ticket; a closed one leaves the queue. Returns true when the queue changed.</summary>
    public bool Apply(MaintenanceTicket ticket)
    {
        if (!IsLoaded)
        {
            _early.Add(ticket);
            return false;
        }

        var changed = Merge(ticket);
        if (changed)
        {
            Sort();
        }

        return changed;
    }

    private bool Merge(MaintenanceTicket ticket)
    {
        if (_closed.Contains(ticket.Id))
        {
            return false;
        }

        if (ticket.Status == TicketStatus.Closed)
        {
            _closed.Add(ticket.Id);
            return _tickets.Remove(ticket.Id);
        }

        if (_tickets.TryGetValue(ticket.Id, out var known) && !ticket.Supersedes(known))
        {
            return false;
        }

        _tickets[ticket.Id] = ticket;
        return true;
    }

    private void Sort() => Tickets = [.. _tickets.Values.Order(MaintenanceTicket.QueueOrder)];
}
