namespace MesOrleans.Maintenance;

/// <summary>
/// Where a maintenance ticket is in its life. Each step follows the one before it:
/// open → acknowledged → in progress → resolved → closed. A step out of order is refused with Conflict.
/// </summary>
public enum TicketStatus
{
    /// <summary>Raised; nobody has taken it yet.</summary>
    Open,

    /// <summary>A crew member has seen it and is on the way.</summary>
    Acknowledged,

    /// <summary>Work on the machine has started.</summary>
    InProgress,

    /// <summary>The fault is fixed, with its root cause and the action taken.</summary>
    Resolved,

    /// <summary>Checked and done; the ticket leaves the queue.</summary>
    Closed,
}

/// <summary>Why a ticket exists.</summary>
public enum TicketOrigin
{
    /// <summary>The MES raised it: a breakdown stop lasted longer than the machine's micro-stop threshold.</summary>
    Breakdown,

    /// <summary>A person opened it by hand.</summary>
    Manual,
}

/// <summary>How urgent a ticket is; breakdowns are <see cref="Urgent"/> because the machine stands still.</summary>
public enum TicketPriority
{
    /// <summary>When there is time.</summary>
    Low,

    /// <summary>The default for tickets opened by hand.</summary>
    Normal,

    /// <summary>Before normal work.</summary>
    High,

    /// <summary>Now: production is lost while it waits.</summary>
    Urgent,
}
