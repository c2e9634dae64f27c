using MesOrleans.Maintenance;

namespace MesOrleans.WebFrontend.Maintenance;

/// <summary>The steps a person can take on a ticket.</summary>
public enum TicketStepKind
{
    Acknowledge,
    Start,
    Resolve,
    Close,
    Note,
}

/// <summary>A step on a ticket with what it needs: a resolution's root cause and action, a note's text.</summary>
public sealed record TicketStep(TicketStepKind Kind, string? RootCause = null, string? Action = null, string? Note = null)
{
    /// <summary>The step that moves a ticket on from <paramref name="status"/>, or null for a closed ticket.</summary>
    public static TicketStepKind? NextFrom(TicketStatus status) => status switch
    {
        TicketStatus.Open => TicketStepKind.Acknowledge,
        TicketStatus.Acknowledged => TicketStepKind.Start,
        TicketStatus.InProgress => TicketStepKind.Resolve,
        TicketStatus.Resolved => TicketStepKind.Close,
        _ => null,
    };
}
