using MesOrleans.Machines;
using MesOrleans.Maintenance;
using MesOrleans.Plant;
using MesOrleans.Sites;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>The maintenance page's way into the cluster: sites with their machines, the queue, ticket steps and KPIs.</summary>
public sealed class MaintenanceDesk(PlantCatalog catalog, IGrainFactory grains, MachineRunTimes runTimes, CircuitCommands commands)
{
    /// <summary>Every site the user maintains, with its time zone and machines (retired machines are not in the model any more).</summary>
    public async Task<IReadOnlyList<MaintenanceSite>> GetSitesAsync()
    {
        var plant = await catalog.GetCurrentAsync();
        var access = await commands.AccessAsync();
        return plant.Model.Sites.Where(s => access.May(MesPolicies.Maintain, s.Id)).Select(site => new MaintenanceSite(
            site.Id,
            site.Name,
            TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone),
            site.Lines.SelectMany(line => line.Machines.Select(m => new MaintenanceMachine(
                EquipmentPath.ForMachine(site.Id, line.Id, m.Id).ToString(), m.Name, line.Name))).ToList())).ToList();
    }

    public Task<IReadOnlyList<MaintenanceTicket>> GetQueueAsync(string site) => Board(site).GetQueueAsync();

    /// <summary>The live status of the site's machines by machine path, so that tickets show whether their machine runs.</summary>
    public async Task<IReadOnlyDictionary<string, MachineStatus>> GetMachinesAsync(string site) =>
        (await grains.GetGrain<ISiteGrain>(site).GetStatusAsync()).Lines.SelectMany(l => l.Machines).ToDictionary(m => m.Id);

    public Task<MaintenanceTicket> OpenAsync(string site, OpenTicket command) =>
        commands.RunAsync(MesPolicies.ReportBreakdown, site, "ticket.open", command.MachineId, $"{command.Title} by {command.OpenedBy}", null,
            () => Board(site).OpenTicketAsync(command));

    /// <summary>The board's KPIs with the run time of the site's machines, so that they have an MTBF.</summary>
    public async Task<MaintenanceKpis> GetKpisAsync(string site, DateTimeOffset from, DateTimeOffset to)
    {
        var kpis = await Board(site).GetKpisAsync(from, to);
        return kpis.WithRunTimes(await runTimes.OfSiteAsync(site, from, to));
    }

    /// <summary>Takes a ticket's next step.</summary>
    public Task<MaintenanceTicket> TakeStepAsync(string ticketId, TicketStep step, string who) =>
        commands.RunAsync(MesPolicies.Maintain, TicketId.TryParse(ticketId, out var site, out _) ? site : "", $"ticket.{step.Kind.ToString().ToLowerInvariant()}", ticketId,
            $"by {who}", null, () => StepAsync(ticketId, step, who));

    private Task<MaintenanceTicket> StepAsync(string ticketId, TicketStep step, string who)
    {
        var ticket = grains.GetGrain<IMaintenanceTicketGrain>(ticketId);
        return step switch
        {
            { Kind: TicketStepKind.Acknowledge } => ticket.AcknowledgeAsync(who),
            { Kind: TicketStepKind.Start } => ticket.StartAsync(who),
            { Kind: TicketStepKind.Resolve } => ticket.ResolveAsync(who, step.RootCause ?? "", step.Action ?? ""),
            { Kind: TicketStepKind.Close } => ticket.CloseAsync(who),
            { Kind: TicketStepKind.Note } => ticket.AddNoteAsync(who, step.Note ?? ""),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Not a ticket step."),
        };
    }

    private IMaintenanceBoardGrain Board(string site) => grains.GetGrain<IMaintenanceBoardGrain>(site);
}

/// <summary>A site as the maintenance page shows it.</summary>
public sealed record MaintenanceSite(string Id, string Name, TimeZoneInfo Zone, IReadOnlyList<MaintenanceMachine> Machines)
{
    public string MachineName(string machineId) => Machines.FirstOrDefault(m => m.Id == machineId)?.Name ?? machineId;

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);
}

/// <summary>A machine of a site, with the name of its line.</summary>
public sealed record MaintenanceMachine(string Id, string Name, string LineName);
