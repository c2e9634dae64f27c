namespace MesOrleans.Errors;

/// <summary>
/// The longest text, in characters, every free-text field takes. The REST API refuses longer values with a 400
/// naming the field; grains enforce the same numbers. A bound keeps one careless client from bloating every event
/// of a machine, the history store and each message between silos.
/// </summary>
public static class TextLimits
{
    /// <summary>Who did something: an operator, the author of a handover, who corrects or takes a ticket step.</summary>
    public const int Person = 100;

    /// <summary>A code or id typed by a person: reason codes, order numbers, site and role names in grants.</summary>
    public const int Code = 64;

    /// <summary>A name: of a site, line, machine, reason, category, product, station or API token.</summary>
    public const int Name = 200;

    /// <summary>A ticket's title.</summary>
    public const int Title = 200;

    /// <summary>A note on a machine event and why a recorded fact is corrected.</summary>
    public const int Note = 1000;

    /// <summary>Longer prose: ticket notes, root cause and action, shift handover notes.</summary>
    public const int Text = 4000;

    /// <summary>A password or PIN (Identity hashes whatever it gets; a bound keeps hashing cheap).</summary>
    public const int Secret = 256;

    /// <summary>The problem for <paramref name="value"/> at <paramref name="path"/> when it is longer than <paramref name="max"/>; otherwise null.</summary>
    public static ValidationProblem? Check(string? value, int max, string path) =>
        value is { Length: var length } && length > max
            ? new ValidationProblem(path, $"has at most {max} characters ({length} given).")
            : null;
}
