using MesOrleans.Errors;
using MesOrleans.Maintenance;
using MesOrleans.WebFrontend.Api;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>
/// Maintenance tickets: a site's queue, opening by hand, each step of a ticket's life, and the KPIs per machine.
/// Ticket ids are <c>{site}-{number}</c> (<c>plant1-0042</c>).
/// </summary>
public static class MaintenanceApi
{
    /// <summary>The default KPI period when none is given: the last 30 days.</summary>
    public static readonly TimeSpan DefaultKpiPeriod = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapMaintenanceApi(this IEndpointRouteBuilder app)
    {
        var site = app.MapGroup("/api/sites/{site}/maintenance").WithTags("Maintenance");

        site.MapGet("/tickets", async Task<Ok<IReadOnlyList<MaintenanceTicket>>> (string site, IGrainFactory grains) =>
            TypedResults.Ok(await Board(grains, site).GetQueueAsync()))
            .RequireAuthorization(MesPolicies.View);

        site.MapPost("/tickets", async Task<Created<MaintenanceTicket>> (string site, OpenTicketRequest body, IGrainFactory grains) =>
        {
            var ticket = await Board(grains, site).OpenTicketAsync(
                new OpenTicket(body.MachineId, body.Title, body.Priority ?? TicketPriority.Normal, body.OpenedBy, body.Note));
            return TypedResults.Created($"/api/maintenance/tickets/{ticket.Id}", ticket);
        }).RequireAuthorization(MesPolicies.ReportBreakdown);

        site.MapGet("/kpis", async Task<Ok<MaintenanceKpisResponse>> (string site, DateTimeOffset? from, DateTimeOffset? to, MaintenanceDesk desk, TimeProvider time) =>
        {
            var (start, end) = (from, to) switch
            {
                (null, null) => (time.GetUtcNow() - DefaultKpiPeriod, time.GetUtcNow()),
                ({ } f, { } t) => Checked(f, t),
                _ => throw MesCommandException.Invalid("Give both 'from' and 'to' (ISO 8601), or neither for the last 30 days."),
            };
            return TypedResults.Ok(MaintenanceKpisResponse.Of(await desk.GetKpisAsync(site, start, end)));
        }).RequireAuthorization(MesPolicies.View);

        var ticket = app.MapGroup("/api/maintenance/tickets/{id}").WithTags("Maintenance");

        ticket.MapGet("", async Task<Ok<MaintenanceTicket>> (string id, IGrainFactory grains) =>
            TypedResults.Ok(await Ticket(grains, id).GetAsync()))
            .RequireAuthorization(MesPolicies.View);

        ticket.MapPost("/acknowledge", async Task<Ok<MaintenanceTicket>> (string id, TicketStepRequest body, IGrainFactory grains) =>
            TypedResults.Ok(await Ticket(grains, id).AcknowledgeAsync(body.By)))
            .RequireAuthorization(MesPolicies.Maintain);

        ticket.MapPost("/start", async Task<Ok<MaintenanceTicket>> (string id, TicketStepRequest body, IGrainFactory grains) =>
            TypedResults.Ok(await Ticket(grains, id).StartAsync(body.By)))
            .RequireAuthorization(MesPolicies.Maintain);

        ticket.MapPost("/resolve", async Task<Ok<MaintenanceTicket>> (string id, ResolveTicketRequest body, IGrainFactory grains) =>
            TypedResults.Ok(await Ticket(grains, id).ResolveAsync(body.By, body.RootCause, body.Action)))
            .RequireAuthorization(MesPolicies.Maintain);

        ticket.MapPost("/close", async Task<Ok<MaintenanceTicket>> (string id, TicketStepRequest body, IGrainFactory grains) =>
            TypedResults.Ok(await Ticket(grains, id).CloseAsync(body.By)))
            .RequireAuthorization(MesPolicies.Maintain);

        ticket.MapPost("/notes", async Task<Ok<MaintenanceTicket>> (string id, TicketNoteRequest body, IGrainFactory grains) =>
            TypedResults.Ok(await Ticket(grains, id).AddNoteAsync(body.By, body.Text)))
            .RequireAuthorization(MesPolicies.Maintain);

        return app;
    }

    private static (DateTimeOffset, DateTimeOffset) Checked(DateTimeOffset from, DateTimeOffset to)
    {
        ReportWindow.Check(from, to);
        return (from, to);
    }

    private static IMaintenanceBoardGrain Board(IGrainFactory grains, string site) =>
        grains.GetGrain<IMaintenanceBoardGrain>(EquipmentRoute.Site(site).ToString());

    // An id that cannot be a ticket answers 404 like an unknown one, without activating a grain for it.
    private static IMaintenanceTicketGrain Ticket(IGrainFactory grains, string id) =>
        TicketId.TryParse(id, out _, out _)
            ? grains.GetGrain<IMaintenanceTicketGrain>(id)
            : throw MesCommandException.NotFound($"'{id}' is not a ticket id like 'plant1-0042'.");
}
