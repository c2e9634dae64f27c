using MesOrleans.Maintenance;

namespace MesOrleans.WebFrontend.Maintenance;

// Request bodies of the maintenance API. Problems are reported at these fields' JSON paths ($.by, $.rootCause, …).

/// <summary>Open a ticket by hand; <c>machineId</c> is the machine's path (<c>plant1/assembly/press-3</c>).</summary>
public sealed record OpenTicketRequest(string MachineId, string Title, TicketPriority? Priority, string OpenedBy, string? Note);

/// <summary>Who takes a step: acknowledge, start, close.</summary>
public sealed record TicketStepRequest(string By);

/// <summary>Resolve a ticket: the root cause and the action taken are required.</summary>
public sealed record ResolveTicketRequest(string By, string RootCause, string Action);

/// <summary>A note on a ticket.</summary>
public sealed record TicketNoteRequest(string By, string Text);
