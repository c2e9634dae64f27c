using System.Text.Json;
using System.Text.Json.Serialization;
using MesOrleans.Errors;

namespace MesOrleans.Plant;

/// <summary>
/// Reads and writes the plant model document, the JSON file an admin edits by hand and the body of /api/plant.
/// Reading never throws for a bad document: it returns every problem with the JSON path of the offending value.
/// </summary>
public static class PlantModelJson
{
    /// <summary>
    /// camelCase names, case-insensitive on read, indented, nulls omitted. Comments and trailing commas are
    /// accepted because admins edit the file by hand; duplicate and unknown properties are refused because in a
    /// hand-edited file they are copy-paste slips and typos (a misspelt optional field would silently fall back
    /// to its default).
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Parses and validates a plant model document.</summary>
    public static PlantModelReadResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        PlantModel? model;
        try
        {
            model = JsonSerializer.Deserialize<PlantModel>(json, Options);
        }
        catch (JsonException exception)
        {
            return Refused(ProblemFrom(exception));
        }

        if (model is null)
        {
            return Refused(new ValidationProblem("$", "must be an object with sites, downtimeReasons and scrapReasons, not null"));
        }

        var problems = PlantModelValidator.Validate(model);
        return problems.Count == 0 ? new PlantModelReadResult(model, problems) : new PlantModelReadResult(null, problems);
    }

    /// <summary>Reads, parses and validates a plant model file; a file that cannot be read is a problem too.</summary>
    public static PlantModelReadResult ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Refused(new ValidationProblem("$", $"cannot read the plant model file '{path}': {exception.Message}"));
        }

        return Read(json);
    }

    /// <summary>The document text of a model.</summary>
    public static string Write(PlantModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return JsonSerializer.Serialize(model, Options);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            AllowDuplicateProperties = false,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };

        // Shared by every caller, so nobody may change it after the fact.
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static PlantModelReadResult Refused(ValidationProblem problem) => new(null, [problem]);

    private static ValidationProblem ProblemFrom(JsonException exception)
    {
        // The serializer appends " Path: … | LineNumber: … | BytePositionInLine: …." with zero-based numbers;
        // the path goes into the problem and the position is restated the way an editor counts.
        var reason = exception.Message;
        var suffix = reason.LastIndexOf(" Path: ", StringComparison.Ordinal);
        if (suffix >= 0)
        {
            reason = reason[..suffix];
        }

        var position = exception.LineNumber is { } line
            ? $" (line {line + 1}, position {(exception.BytePositionInLine ?? 0) + 1})"
            : string.Empty;
        return new ValidationProblem(exception.Path ?? "$", $"{ForAdmins(reason).TrimEnd('.')}{position}.");
    }

    // Some serializer messages name .NET types, which mean nothing to a plant admin (and for a constructor
    // parameter name the enclosing type, not the field's): say what to fix instead.
    private static string ForAdmins(string reason)
    {
        if (reason.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
        {
            return "This value has the wrong type for its field, for example text where a number or a list belongs";
        }

        if (Before(reason, " could not be mapped to any .NET member") is { } unknown)
        {
            return $"{unknown} is not a field of this object; check its spelling";
        }

        if (Before(reason, " encountered during deserialization") is { } duplicate)
        {
            return $"{duplicate} appears more than once in this object";
        }

        return reason;
    }

    private static string? Before(string text, string marker)
    {
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        return index < 0 ? null : text[..index];
    }
}
