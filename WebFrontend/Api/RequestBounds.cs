using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using MesOrleans.Errors;

namespace MesOrleans.WebFrontend.Api;

/// <summary>
/// Checks every API request at the edge, before its handler runs, and refuses it with a 400 naming each field:
/// body texts longer than their <see cref="MaxLengthAttribute"/> (the numbers in <see cref="TextLimits"/>), query
/// times without an offset, and query enums given as numbers. Nothing reaches a grain out of bounds.
/// </summary>
public static class RequestBounds
{
    private static readonly ConcurrentDictionary<Type, BoundedText[]> Texts = new();

    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var parameters = context.MethodInfo.GetParameters();
        var bodies = parameters
            .Select((p, index) => (Index: index, Texts: TextsOf(p.ParameterType)))
            .Where(b => b.Texts.Length > 0)
            .ToArray();
        var times = parameters.Where(p => IsTime(p.ParameterType)).Select(p => p.Name!).ToArray();
        var enums = parameters
            .Select(p => (p.Name, Type: Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            .Where(p => p.Type.IsEnum)
            .ToArray();
        if (bodies.Length == 0 && times.Length == 0 && enums.Length == 0)
        {
            return next;
        }

        return invocation =>
        {
            var problems = new List<ValidationProblem>();
            foreach (var (index, texts) in bodies)
            {
                if (invocation.Arguments[index] is { } body)
                {
                    problems.AddRange(texts.Select(t => TextLimits.Check(t.Read(body), t.Max, t.Path)).OfType<ValidationProblem>());
                }
            }

            var query = invocation.HttpContext.Request.Query;
            foreach (var name in times)
            {
                if (query.TryGetValue(name, out var raw) && !ExplicitOffset.TryParse(raw.ToString(), out _))
                {
                    problems.Add(new(name, $"'{raw}' {ExplicitOffset.Rule}."));
                }
            }

            foreach (var (name, type) in enums)
            {
                if (query.TryGetValue(name!, out var raw) && !Enum.GetNames(type).Contains(raw.ToString(), StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add(new(name!, $"'{raw}' is not one of {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName))}."));
                }
            }

            return problems.Count == 0
                ? next(invocation)
                : throw MesCommandException.Invalid("The request is out of bounds.", problems);
        };
    }

    private static bool IsTime(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset);

    private static BoundedText[] TextsOf(Type type) => Texts.GetOrAdd(type, static t => t
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(string) && p.GetCustomAttribute<MaxLengthAttribute>() is not null)
        .Select(p => new BoundedText(
            "$." + JsonNamingPolicy.CamelCase.ConvertName(p.Name),
            p.GetCustomAttribute<MaxLengthAttribute>()!.Length,
            body => (string?)p.GetValue(body)))
        .ToArray());

    private sealed record BoundedText(string Path, int Max, Func<object, string?> Read);
}
