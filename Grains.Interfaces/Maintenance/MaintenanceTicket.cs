namespace MesOrleans.Maintenance;

/// <summary>A note on a ticket: who wrote what, when.</summary>
[GenerateSerializer, Immutable, Alias("mes.TicketNote")]
public sealed record TicketNote(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string By,
    [property: Id(2)] string Text);

/// <summary>
/// A maintenance ticket as everyone sees it: what is wrong with which machine, and who did what when. A ticket is
/// work for the maintenance crew, not a machine stop: resolving it does not end the machine's stop (the machine
/// ends that when it runs again). Times are UTC.
/// </summary>
[GenerateSerializer, Immutable, Alias("mes.MaintenanceTicket")]
public sealed record MaintenanceTicket(
    [property: Id(0)] string Id,
    [property: Id(1)] string MachineId,
    [property: Id(2)] string Title,
    [property: Id(3)] TicketOrigin Origin,
    [property: Id(4)] TicketPriority Priority,
    [property: Id(5)] TicketStatus Status,
    [property: Id(6)] DateTimeOffset OpenedAt,
    [property: Id(7)] string OpenedBy)
{
    /// <summary>The machine stop that raised a breakdown ticket (the id of the event that opened the stop).</summary>
    [Id(8)] public Guid? StopId { get; init; }

    /// <summary>The downtime reason of that stop when it was reported.</summary>
    [Id(9)] public string? ReasonCode { get; init; }

    /// <summary>When the machine stopped, for a breakdown ticket; repair time counts from here.</summary>
    [Id(10)] public DateTimeOffset? StopStartedAt { get; init; }

    /// <summary>When a crew member acknowledged the ticket.</summary>
    [Id(11)] public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>Who acknowledged it.</summary>
    [Id(12)] public string? AcknowledgedBy { get; init; }

    /// <summary>When work started.</summary>
    [Id(13)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Who started the work.</summary>
    [Id(14)] public string? StartedBy { get; init; }

    /// <summary>When the fault was fixed.</summary>
    [Id(15)] public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Who fixed it.</summary>
    [Id(16)] public string? ResolvedBy { get; init; }

    /// <summary>Why the fault happened (required to resolve).</summary>
    [Id(17)] public string? RootCause { get; init; }

    /// <summary>What was done about it (required to resolve).</summary>
    [Id(18)] public string? Action { get; init; }

    /// <summary>When the ticket was closed.</summary>
    [Id(19)] public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Who closed it.</summary>
    [Id(20)] public string? ClosedBy { get; init; }

    /// <summary>Notes in the order they were written.</summary>
    [Id(21)] public IReadOnlyList<TicketNote> Notes { get; init; } = [];

    /// <summary>Where repair time starts: the machine's stop for a breakdown, otherwise the ticket's opening.</summary>
    public DateTimeOffset RepairClockStart => StopStartedAt ?? OpenedAt;

    /// <summary>
    /// True when this is a later view of the same ticket than <paramref name="known"/>: a later status, or the same
    /// status with at least as many notes. Tickets only move forward, so views that arrive out of order can be told apart.
    /// </summary>
    public bool Supersedes(MaintenanceTicket known) =>
        Status > known.Status || (Status == known.Status && Notes.Count >= known.Notes.Count);

    /// <summary>
    /// The order of the maintenance queue: by status (open first, resolved last), then the most urgent, then the
    /// oldest, then by id so that the order is total.
    /// </summary>
    public static IComparer<MaintenanceTicket> QueueOrder { get; } = Comparer<MaintenanceTicket>.Create((a, b) =>
    {
        var order = a.Status.CompareTo(b.Status);
        if (order == 0)
        {
            order = b.Priority.CompareTo(a.Priority);
        }

        if (order == 0)
        {
            order = a.OpenedAt.CompareTo(b.OpenedAt);
        }

        return order != 0 ? order : string.CompareOrdinal(a.Id, b.Id);
    });
}
