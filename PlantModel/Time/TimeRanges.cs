namespace MesOrleans.Time;

/// <summary>
/// Set operations on time ranges. A set is a list as <see cref="Normalize"/> returns it: sorted by start, with
/// non-empty ranges that neither overlap nor touch, so that adding up durations never counts an instant twice.
/// </summary>
internal static class TimeRanges
{
    /// <summary>Sorts the ranges, drops empty ones and merges those that overlap or touch.</summary>
    public static IReadOnlyList<TimeRange> Normalize(IEnumerable<TimeRange> ranges)
    {
        var merged = new List<TimeRange>();
        foreach (var range in ranges.Where(r => !r.IsEmpty).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End)
            {
                if (range.End > merged[^1].End)
                {
                    merged[^1] = new TimeRange(merged[^1].Start, range.End);
                }
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    /// <summary>The instants in both sets.</summary>
    public static IReadOnlyList<TimeRange> Intersect(IReadOnlyList<TimeRange> first, IReadOnlyList<TimeRange> second)
    {
        var common = new List<TimeRange>();
        var i = 0;
        var j = 0;
        while (i < first.Count && j < second.Count)
        {
            if (first[i].Intersect(second[j]) is { } overlap)
            {
                common.Add(overlap);
            }

            // The range that ends first cannot overlap anything further in the other set.
            if (first[i].End <= second[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return common;
    }

    /// <summary>The instants in <paramref name="set"/> that are not in <paramref name="holes"/>.</summary>
    public static IReadOnlyList<TimeRange> Subtract(IReadOnlyList<TimeRange> set, IReadOnlyList<TimeRange> holes)
    {
        var rest = new List<TimeRange>();
        var firstHole = 0;
        foreach (var range in set)
        {
            while (firstHole < holes.Count && holes[firstHole].End <= range.Start)
            {
                firstHole++;
            }

            var cursor = range.Start;
            for (var h = firstHole; h < holes.Count && holes[h].Start < range.End; h++)
            {
                if (holes[h].Start > cursor)
                {
                    rest.Add(new TimeRange(cursor, holes[h].Start));
                }

                if (holes[h].End > cursor)
                {
                    cursor = holes[h].End;
                }
            }

            if (cursor < range.End)
            {
                rest.Add(new TimeRange(cursor, range.End));
            }
        }

        return rest;
    }

    /// <summary>The total length of the ranges.</summary>
    public static TimeSpan Duration(IEnumerable<TimeRange> ranges) =>
        ranges.Aggregate(TimeSpan.Zero, (sum, range) => sum + range.Duration);
}
