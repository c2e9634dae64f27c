using MesOrleans.Errors;
using MesOrleans.Placement;
using MesOrleans.Plant;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace MesOrleans.Maintenance;

/// <inheritdoc cref="IMaintenanceBoardGrain" />
/// <remarks>
/// Two states: the queue, written on every change, and the archive of closed tickets (<see cref="ClosedTicketRetention"/>),
/// written only when a ticket closes. Archived tickets lose their notes (the ticket grain keeps them), so the archive
/// stays small.
/// </remarks>
[PlaceBySite]
internal sealed class MaintenanceBoardGrain(
    [PersistentState("board", MesStorage.Name)] IPersistentState<MaintenanceBoardState> board,
    [PersistentState("archive", MesStorage.Name)] IPersistentState<MaintenanceArchiveState> archive,
    PlantCatalog catalog,
    TimeProvider time,
    ILogger<MaintenanceBoardGrain> logger) : Grain, IMaintenanceBoardGrain
{
    private const string BreakdownOpener = "MES";

    private readonly ObserverManager<IMaintenanceBoardObserver> _observers = new(IMaintenanceBoardGrain.SubscriptionLifetime, logger);

    private string SiteId => this.GetPrimaryKeyString();

    public async Task<MaintenanceTicket> OpenTicketAsync(OpenTicket command)
    {
        await RequireSiteAsync();
        var ticket = new NewTicket(command.MachineId, command.Title, TicketOrigin.Manual, command.Priority, command.OpenedBy) { Note = command.Note };
        var problems = TicketRules.Check(ticket, SiteId);
        if (!problems.Exists(p => p.Path == "$.machineId") && !await IsMachineAsync(command.MachineId))
        {
            problems.Add(new("$.machineId", $"'{command.MachineId}' is not a machine of site '{SiteId}'."));
        }

        TicketRules.ThrowIfAny(problems, "The ticket cannot be opened");
        return await CreateAsync(ticket);
    }

    public async Task<MaintenanceTicket> ReportBreakdownAsync(BreakdownReport report)
    {
        if (FindByStop(report.StopId) is { } existing)
        {
            return existing.Status == TicketStatus.Closed
                ? await GrainFactory.GetGrain<IMaintenanceTicketGrain>(existing.Id).GetAsync()
                : existing;
        }

        var plant = await RequireSiteAsync();
        if (!await IsMachineAsync(report.MachineId))
        {
            throw MesCommandException.Invalid($"'{report.MachineId}' is not a machine of site '{SiteId}'.",
                [new("$.machineId", $"'{report.MachineId}' is not a machine of site '{SiteId}'.")]);
        }

        var reason = report.ReasonCode is { } code && plant.DowntimeReasons.TryGetValue(code, out var known) ? $"{known.Name} ({known.Code})" : report.ReasonCode;
        if (UnresolvedFault(report) is { } continued)
        {
            return await ContinueAsync(continued, report, reason, TimeZoneInfo.FindSystemTimeZoneById(plant.Site(SiteId)!.TimeZone));
        }

        var title = reason is null ? "Breakdown" : $"Breakdown: {reason}";
        var ticket = await CreateAsync(new NewTicket(report.MachineId, title, TicketOrigin.Breakdown, TicketPriority.Urgent, BreakdownOpener)
        {
            StopId = report.StopId,
            ReasonCode = report.ReasonCode,
            StopStartedAt = report.StopStartedAt,
        });
        logger.LogInformation("Breakdown of {Machine} (stop {Stop}) raised ticket {Ticket}", report.MachineId, report.StopId, ticket.Id);
        return ticket;
    }

    public async Task<IReadOnlyList<MaintenanceTicket>> GetQueueAsync()
    {
        await RequireSiteAsync();
        return board.State.Queue.Values.Order(MaintenanceTicket.QueueOrder).ToList();
    }

    public async Task<MaintenanceKpis> GetKpisAsync(DateTimeOffset from, DateTimeOffset to)
    {
        if (from >= to)
        {
            throw MesCommandException.Invalid($"The period must start before it ends; {from:O} is not before {to:O}.");
        }

        await RequireSiteAsync();
        var kpis = MaintenanceKpiCalculator.Calculate(SiteId, board.State.Queue.Values.Concat(archive.State.Closed), from, to);
        return archive.State.IncompleteBefore is { } incomplete && from < incomplete ? kpis with { IncompleteBefore = incomplete } : kpis;
    }

    public async Task TicketChangedAsync(MaintenanceTicket ticket)
    {
        if (!TicketId.TryParse(ticket.Id, out var site, out _) || site != SiteId)
        {
            throw MesCommandException.Invalid($"Ticket '{ticket.Id}' does not belong to site '{SiteId}'.");
        }

        if (!IsNewer(ticket))
        {
            return;
        }

        // Out of the queue first, into the archive second: if the second write fails, the ticket's retry finds it
        // in neither and files it again.
        if (ticket.Status == TicketStatus.Closed)
        {
            board.State.Queue.Remove(ticket.Id);
            await WriteAsync(board);
            archive.State.Closed.Add(ticket with { Notes = [] });
            ClosedTicketRetention.Apply(archive.State, time.GetUtcNow(), ClosedTicketRetention.MaxAge, ClosedTicketRetention.MaxCount);
            await WriteAsync(archive);
        }
        else
        {
            board.State.Queue[ticket.Id] = ticket;
            await WriteAsync(board);
        }

        _observers.Notify(o => o.TicketChanged(ticket));
    }

    public Task<bool> SubscribeAsync(IMaintenanceBoardObserver observer)
    {
        _observers.ClearExpired();
        var known = _observers.Observers.ContainsKey(observer);
        _observers.Subscribe(observer, observer);
        return Task.FromResult(!known);
    }

    public Task UnsubscribeAsync(IMaintenanceBoardObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>Hands out the next number and opens the ticket, which registers itself here while this call waits.</summary>
    private async Task<MaintenanceTicket> CreateAsync(NewTicket ticket)
    {
        board.State.LastNumber++;
        await WriteAsync(board);
        var id = TicketId.Format(SiteId, board.State.LastNumber);

        MaintenanceTicket opened;
        using (RequestContext.AllowCallChainReentrancy())
        {
            opened = await GrainFactory.GetGrain<IMaintenanceTicketGrain>(id).OpenAsync(ticket);
        }

        // The ticket's own report normally got here first; if it could not, the ticket retries, and the queue has it now.
        if (!board.State.Queue.ContainsKey(id))
        {
            await TicketChangedAsync(opened);
        }

        return opened;
    }

    // A machine that stops again with the same fault while its ticket is not resolved (the fault resumed after a
    // planned break, or the machine was restarted too early) has the same job for maintenance, not a new one.
    private MaintenanceTicket? UnresolvedFault(BreakdownReport report) =>
        report.ReasonCode is null
            ? null
            : board.State.Queue.Values
                .Where(t => t.Origin == TicketOrigin.Breakdown && t.MachineId == report.MachineId && t.Status < TicketStatus.Resolved)
                .Where(t => string.Equals(t.ReasonCode, report.ReasonCode, StringComparison.OrdinalIgnoreCase))
                .MaxBy(t => t.OpenedAt);

    private async Task<MaintenanceTicket> ContinueAsync(MaintenanceTicket ticket, BreakdownReport report, string? reason, TimeZoneInfo zone)
    {
        var note = $"The machine stopped again at {TimeZoneInfo.ConvertTime(report.StopStartedAt, zone):HH:mm} with the same fault ({reason}): this ticket goes on.";
        MaintenanceTicket continued;
        using (RequestContext.AllowCallChainReentrancy())
        {
            continued = await GrainFactory.GetGrain<IMaintenanceTicketGrain>(ticket.Id).AddNoteAsync(BreakdownOpener, note);
        }

        logger.LogInformation("Breakdown of {Machine} (stop {Stop}) continues ticket {Ticket}", report.MachineId, report.StopId, ticket.Id);
        return continued;
    }

    private MaintenanceTicket? FindByStop(Guid stopId) =>
        board.State.Queue.Values.FirstOrDefault(t => t.StopId == stopId)
        ?? archive.State.Closed.FirstOrDefault(t => t.StopId == stopId);

    /// <summary>Tickets only move forward; a report older than what the board has (a retry that lost a race) is ignored.</summary>
    private bool IsNewer(MaintenanceTicket ticket)
    {
        if (archive.State.Closed.Exists(t => t.Id == ticket.Id))
        {
            return false;
        }

        return !board.State.Queue.TryGetValue(ticket.Id, out var known) || ticket.Supersedes(known);
    }

    private async Task WriteAsync<T>(IPersistentState<T> state)
    {
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
    }

    private async Task<PlantView> RequireSiteAsync()
    {
        var plant = await PlantWhereAsync(p => p.Site(SiteId) is not null);
        return plant.Site(SiteId) is not null ? plant : throw MesCommandException.NotFound($"Site '{SiteId}' is not in the plant model.");
    }
    private async Task<bool> IsMachineAsync(string machineId) =>
        EquipmentPath.TryParse(machineId, out var path) && path.IsMachine && path.Site == SiteId &&
        (await PlantWhereAsync(p => p.Machine(path) is not null)).Machine(path) is not null;

    /// <summary>
    /// The plant model, read again when the cached one lacks what is asked for: a machine added a moment ago on
    /// another silo is then found instead of refused.
    /// </summary>
    private async Task<PlantView> PlantWhereAsync(Func<PlantView, bool> has)
    {
        var plant = await catalog.GetCurrentAsync();
        return has(plant) ? plant : await catalog.GetAsync(long.MaxValue);
    }
}
