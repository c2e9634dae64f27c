using System.ComponentModel.DataAnnotations;
using MesOrleans.Errors;
using MesOrleans.Maintenance;

namespace MesOrleans.WebFrontend.Maintenance;

// Request bodies of the maintenance API. Problems are reported at these fields' JSON paths ($.by, $.rootCause, …).

/// <summary>Open a ticket by hand; <c>machineId</c> is the machine's path (<c>plant1/assembly/press-3</c>).</summary>
public sealed record OpenTicketRequest(
    [property: MaxLength(TextLimits.Name)] string MachineId,
    [property: MaxLength(TextLimits.Title)] string Title,
    TicketPriority? Priority,
    [property: MaxLength(TextLimits.Person)] string OpenedBy,
    [property: MaxLength(TextLimits.Text)] string? Note);

/// <summary>Who takes a step: acknowledge, start, close.</summary>
public sealed record TicketStepRequest([property: MaxLength(TextLimits.Person)] string By);

/// <summary>Resolve a ticket: the root cause and the action taken are required.</summary>
public sealed record ResolveTicketRequest(
    [property: MaxLength(TextLimits.Person)] string By,
    [property: MaxLength(TextLimits.Text)] string RootCause,
    [property: MaxLength(TextLimits.Text)] string Action);

/// <summary>A note on a ticket.</summary>
public sealed record TicketNoteRequest(
    [property: MaxLength(TextLimits.Person)] string By,
    [property: MaxLength(TextLimits.Text)] string Text);
