namespace MesOrleans.WebFrontend.Security.Audit;

/// <summary>One command as the audit trail keeps it: who, when, from where, what, and how it ended. Never changed.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The user, <c>token:name</c> or <c>station:name/operator</c>; for a failed sign-in the name tried.</summary>
    public required string Actor { get; set; }

    /// <summary>The client's IP address.</summary>
    public string? Address { get; set; }

    /// <summary>What was done: <c>machine.downtime.start</c>, <c>auth.sign-in.failed</c>, <c>POST /api/…</c>.</summary>
    public required string Action { get; set; }

    /// <summary>The site it concerns, when it concerns one.</summary>
    public string? Site { get; set; }

    /// <summary>What it was done to: a machine path, a ticket or order id, a user or token.</summary>
    public string? Target { get; set; }

    /// <summary>The command's content (its body, without secrets), bounded.</summary>
    public string? Detail { get; set; }

    /// <summary><c>ok</c>, or why it was refused (a status code and message).</summary>
    public required string Outcome { get; set; }
}
