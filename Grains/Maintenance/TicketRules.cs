using MesOrleans.Errors;
using MesOrleans.Plant;

namespace MesOrleans.Maintenance;

/// <summary>
/// What every ticket command must carry, checked before anything changes. Problems are named by the JSON path of the
/// REST body's field (<c>$.by</c>, <c>$.rootCause</c>), so that the API and the pages can show them at the field.
/// </summary>
internal static class TicketRules
{
    public const int MaxNameLength = TextLimits.Person;
    public const int MaxTitleLength = TextLimits.Title;
    public const int MaxTextLength = TextLimits.Text;

    /// <summary>Every problem in a new ticket of <paramref name="site"/>; empty when it may be opened.</summary>
    public static List<ValidationProblem> Check(NewTicket ticket, string site)
    {
        var problems = new List<ValidationProblem>();
        if (!EquipmentPath.TryParse(ticket.MachineId, out var machine) || !machine.IsMachine)
        {
            problems.Add(new("$.machineId", $"'{ticket.MachineId}' is not a machine path like 'site/line/machine'."));
        }
        else if (machine.Site != site)
        {
            problems.Add(new("$.machineId", $"Machine '{ticket.MachineId}' is not at site '{site}'."));
        }

        Text(problems, ticket.Title, "$.title", "A title", MaxTitleLength);
        Text(problems, ticket.OpenedBy, "$.openedBy", "Who opens the ticket", MaxNameLength);
        if (ticket.Note is { Length: > MaxTextLength })
        {
            problems.Add(new("$.note", $"A note may have at most {MaxTextLength} characters."));
        }

        if (!Enum.IsDefined(ticket.Priority))
        {
            problems.Add(new("$.priority", $"'{ticket.Priority}' is not a priority."));
        }

        if (ticket.Origin == TicketOrigin.Breakdown && (ticket.StopId is null || ticket.StopStartedAt is null))
        {
            problems.Add(new("$.stopId", "A breakdown ticket needs the stop that raised it and when it began."));
        }

        return problems;
    }

    /// <summary>The trimmed name of who does something (the REST field <c>by</c>), or Invalid.</summary>
    public static string Who(string? who)
    {
        var problems = new List<ValidationProblem>();
        var by = Who(problems, who);
        ThrowIfAny(problems, "A name is missing");
        return by!;
    }

    /// <summary>The trimmed name of who does something, or null with a problem at <c>$.by</c>.</summary>
    public static string? Who(List<ValidationProblem> problems, string? who) =>
        Text(problems, who, "$.by", "Your name", MaxNameLength);

    /// <summary>Trimmed required text, or null with a problem at <paramref name="path"/>.</summary>
    public static string? Text(List<ValidationProblem> problems, string? text, string path, string what, int maxLength = MaxTextLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new(path, $"{what} is required."));
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.Length > maxLength)
        {
            problems.Add(new(path, $"{what} may have at most {maxLength} characters."));
            return null;
        }

        return trimmed;
    }

    /// <summary>Refuses the command with every problem found, if there is one.</summary>
    public static void ThrowIfAny(List<ValidationProblem> problems, string what)
    {
        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid($"{what}: {string.Join(" ", problems.Select(p => p.Message))}", problems);
        }
    }
}
