namespace MesOrleans.Maintenance;

/// <summary>A person opens a ticket by hand. <see cref="MachineId"/> is the machine's path (<c>plant1/assembly/press-3</c>).</summary>
[GenerateSerializer, Immutable, Alias("mes.OpenTicket")]
public sealed record OpenTicket(
    [property: Id(0)] string MachineId,
    [property: Id(1)] string Title,
    [property: Id(2)] TicketPriority Priority,
    [property: Id(3)] string OpenedBy,
    [property: Id(4)] string? Note = null);

/// <summary>
/// A breakdown-category stop of a machine has lasted longer than the machine's micro-stop threshold. The machine
/// grain reports it; which reasons count as breakdowns is the caller's decision.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.BreakdownReport")]
public sealed record BreakdownReport(
    [property: Id(0)] string MachineId,
    [property: Id(1)] Guid StopId,
    [property: Id(2)] string? ReasonCode,
    [property: Id(3)] DateTimeOffset StopStartedAt);

/// <summary>Everything a new ticket starts with; the board fills it in and hands it to the ticket's <see cref="IMaintenanceTicketGrain.OpenAsync"/>.</summary>
[GenerateSerializer, Immutable, Alias("mes.NewTicket")]
public sealed record NewTicket(
    [property: Id(0)] string MachineId,
    [property: Id(1)] string Title,
    [property: Id(2)] TicketOrigin Origin,
    [property: Id(3)] TicketPriority Priority,
    [property: Id(4)] string OpenedBy)
{
    /// <summary>The stop that raised a breakdown ticket.</summary>
    [Id(5)] public Guid? StopId { get; init; }

    /// <summary>The stop's downtime reason.</summary>
    [Id(6)] public string? ReasonCode { get; init; }

    /// <summary>When the stop began.</summary>
    [Id(7)] public DateTimeOffset? StopStartedAt { get; init; }

    /// <summary>A first note, if the person who opened the ticket wrote one.</summary>
    [Id(8)] public string? Note { get; init; }
}
