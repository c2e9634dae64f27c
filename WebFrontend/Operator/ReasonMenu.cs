using System.Globalization;

namespace MesOrleans.WebFrontend.Operator;

/// <summary>A reason an operator can pick: a downtime or scrap reason from the plant's catalog.</summary>
public sealed record ReasonOption(string Code, string Name, string Category);

/// <summary>A category of reasons with its reasons in the order they are offered.</summary>
public sealed record ReasonGroup(string Category, string Label, IReadOnlyList<ReasonOption> Reasons);

/// <summary>
/// Orders reasons for a touch screen: the reasons used most on this machine first within their category, and the
/// categories used most first, so the usual answer is the first button an operator sees.
/// </summary>
public static class ReasonMenu
{
    public static IReadOnlyList<ReasonGroup> Build(IEnumerable<ReasonOption> reasons, IReadOnlyDictionary<string, int> uses)
    {
        int Uses(ReasonOption r) => uses.TryGetValue(r.Code, out var n) ? n : 0;

        return reasons
            .GroupBy(r => r.Category, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Group: g, Total: g.Sum(Uses)))
            .OrderByDescending(x => x.Total)
            .ThenBy(x => x.Group.Key, StringComparer.OrdinalIgnoreCase)
            .Select(x => new ReasonGroup(
                x.Group.Key,
                Label(x.Group.Key),
                x.Group.OrderByDescending(Uses).ThenBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ToList()))
            .ToList();
    }

    /// <summary>A catalog category as a heading: <c>planned-maintenance</c> reads "Planned maintenance".</summary>
    public static string Label(string category)
    {
        var words = category.Replace('-', ' ').Replace('_', ' ').Trim();
        return words.Length == 0 ? "Other" : char.ToUpper(words[0], CultureInfo.CurrentCulture) + words[1..];
    }
}
