using MesOrleans.Errors;

namespace MesOrleans.Quality;

/// <summary>
/// What makes an inspection plan valid and how an inspection is judged against it. Every problem is named by its JSON
/// path in the request, so quality staff fix a plan or a form in one pass.
/// </summary>
public static class InspectionRules
{
    /// <summary>The most values per inspection of a characteristic: X̄-R charts take subgroups of 2 to 10.</summary>
    public const int MaxSubgroupSize = 10;

    public const int MaxCharacteristics = 100;

    /// <summary>Every problem of <paramref name="plan"/>; empty when it is valid.</summary>
    public static List<ValidationProblem> Check(InspectionPlan plan)
    {
        var problems = new List<ValidationProblem>();
        if (plan.Characteristics is not { Count: > 0 and <= MaxCharacteristics } characteristics)
        {
            problems.Add(new("$.characteristics", $"must list 1 to {MaxCharacteristics} characteristics."));
            return problems;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < characteristics.Count; i++)
        {
            var path = $"$.characteristics[{i}]";
            if (characteristics[i] is not { } c)
            {
                problems.Add(new(path, "must be a characteristic, not null."));
                continue;
            }

            if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > TextLimits.Name)
            {
                problems.Add(new($"{path}.name", $"is required, at most {TextLimits.Name} characters."));
            }
            else if (!names.Add(c.Name))
            {
                problems.Add(new($"{path}.name", $"'{c.Name}' is named twice."));
            }

            if (c.Kind == CharacteristicKind.Measured)
            {
                CheckMeasured(c, path, problems);
            }
            else if (c.Nominal is not null || c.Lower is not null || c.Upper is not null || c.SubgroupSize is not null || c.XbarLimits is not null || c.RangeLimits is not null)
            {
                problems.Add(new(path, "a passFail characteristic has no nominal, limits or subgroup size."));
            }
        }

        return problems;
    }

    /// <summary>
    /// Judges the results against the plan: each names a characteristic of the plan once; a measured one gives exactly its
    /// subgroup size of values, each within the specification limits to pass; a passFail one gives pass or fail.
    /// </summary>
    public static (List<CharacteristicOutcome> Outcomes, List<ValidationProblem> Problems) Judge(InspectionPlan plan, IReadOnlyList<CharacteristicResult>? results)
    {
        var outcomes = new List<CharacteristicOutcome>();
        var problems = new List<ValidationProblem>();
        if (results is not { Count: > 0 } given || given.Count > MaxCharacteristics)
        {
            problems.Add(new("$.results", $"must give 1 to {MaxCharacteristics} results."));
            return (outcomes, problems);
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < given.Count; i++)
        {
            var path = $"$.results[{i}]";
            var result = given[i];
            var characteristic = plan.Characteristics.FirstOrDefault(c => string.Equals(c.Name, result?.Characteristic, StringComparison.OrdinalIgnoreCase));
            if (result is null || characteristic is null)
            {
                problems.Add(new($"{path}.characteristic", $"'{result?.Characteristic}' is not a characteristic of the plan of '{plan.PartNumber}'."));
                continue;
            }

            if (!seen.Add(characteristic.Name))
            {
                problems.Add(new($"{path}.characteristic", $"'{characteristic.Name}' has a result already."));
                continue;
            }

            if (characteristic.Kind == CharacteristicKind.Measured)
            {
                if (result.Values is not { } values || values.Count != characteristic.ValuesPerInspection || values.Any(v => !double.IsFinite(v)))
                {
                    problems.Add(new($"{path}.values", $"'{characteristic.Name}' takes {characteristic.ValuesPerInspection} measured value(s) per inspection."));
                    continue;
                }

                outcomes.Add(new(characteristic.Name, values.ToList(), values.All(characteristic.InSpecification)));
            }
            else if (result.Pass is not { } pass)
            {
                problems.Add(new($"{path}.pass", $"'{characteristic.Name}' is pass or fail: give \"pass\": true or false."));
            }
            else
            {
                outcomes.Add(new(characteristic.Name, null, pass));
            }
        }

        return (outcomes, problems);
    }

    private static void CheckMeasured(Characteristic c, string path, List<ValidationProblem> problems)
    {
        if (c.SubgroupSize is { } n && (n < 1 || n > MaxSubgroupSize))
        {
            problems.Add(new($"{path}.subgroupSize", $"must be from 1 to {MaxSubgroupSize}."));
        }

        foreach (var (value, name) in new[] { (c.Nominal, "nominal"), (c.Lower, "lower"), (c.Upper, "upper") })
        {
            if (value is { } v && !double.IsFinite(v))
            {
                problems.Add(new($"{path}.{name}", "must be a finite number."));
            }
        }

        if (c.Lower is { } lower && c.Upper is { } upper && lower > upper)
        {
            problems.Add(new($"{path}.lower", $"{lower} is above the upper limit {upper}."));
        }
        else if (c.Nominal is { } nominal && !c.InSpecification(nominal))
        {
            problems.Add(new($"{path}.nominal", $"{nominal} lies outside the limits."));
        }

        if (c.Unit is { Length: > TextLimits.Code })
        {
            problems.Add(new($"{path}.unit", $"has at most {TextLimits.Code} characters."));
        }

        CheckLimits(c.XbarLimits, $"{path}.xbarLimits", problems);
        CheckLimits(c.RangeLimits, $"{path}.rangeLimits", problems);
    }

    private static void CheckLimits(ControlLimits? limits, string path, List<ValidationProblem> problems)
    {
        if (limits is { } l && !(double.IsFinite(l.Lcl) && double.IsFinite(l.Ucl) && l.Lcl <= l.Center && l.Center < l.Ucl))
        {
            problems.Add(new(path, "needs lcl ≤ center < ucl, all finite."));
        }
    }
}
