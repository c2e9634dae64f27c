namespace MesOrleans.Errors;

/// <summary>Why a command was refused; the REST API maps these to 400, 404, 409 and 503.</summary>
public enum MesErrorKind
{
    /// <summary>The command's input is invalid (unknown reason, negative quantity, bad time).</summary>
    Invalid,

    /// <summary>The command names something that does not exist.</summary>
    NotFound,

    /// <summary>The command does not fit the current state (ending a downtime that is not open).</summary>
    Conflict,

    /// <summary>The command could not be recorded just now (storage unreachable); nothing changed, try again.</summary>
    Unavailable,
}

/// <summary>One problem in a command or document, with the path of the offending value (e.g. <c>$.sites[0].timeZone</c>).</summary>
[GenerateSerializer, Immutable, Alias("mes.ValidationProblem")]
public sealed record ValidationProblem(
    [property: Id(0)] string Path,
    [property: Id(1)] string Message);

/// <summary>
/// A command was refused and nothing changed. Grains throw it before they touch state.
/// </summary>
[GenerateSerializer, Alias("mes.MesCommandException")]
public sealed class MesCommandException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MesCommandException(MesErrorKind kind, string message, IReadOnlyList<ValidationProblem>? problems = null)
        : base(message)
    {
        Kind = kind;
        Problems = problems ?? [];
    }

    /// <summary>Why the command was refused.</summary>
    [Id(0)] public MesErrorKind Kind { get; }

    /// <summary>Every problem found, when the command was a document or a form.</summary>
    [Id(1)] public IReadOnlyList<ValidationProblem> Problems { get; }

    /// <summary>An invalid-input refusal.</summary>
    public static MesCommandException Invalid(string message, IReadOnlyList<ValidationProblem>? problems = null) =>
        new(MesErrorKind.Invalid, message, problems);

    /// <summary>An unknown-id refusal.</summary>
    public static MesCommandException NotFound(string message) => new(MesErrorKind.NotFound, message);

    /// <summary>A wrong-state refusal.</summary>
    public static MesCommandException Conflict(string message) => new(MesErrorKind.Conflict, message);

    /// <summary>A could-not-record-now refusal.</summary>
    public static MesCommandException Unavailable(string message) => new(MesErrorKind.Unavailable, message);
}
