using MesOrleans.Time;

namespace MesOrleans.Tests.Time;

public sealed class TimeRangesTests
{
    [Fact]
    public void Normalize_sorts_drops_empty_ranges_and_merges_overlapping_and_touching_ones()
    {
        var set = TimeRanges.Normalize([Range(10, 12), Range(3, 3), Range(1, 4), Range(4, 5), Range(2, 3), Range(11, 11)]);

        Assert.Equal([Range(1, 5), Range(10, 12)], set);
    }

    [Fact]
    public void Intersect_keeps_the_instants_in_both_sets()
    {
        var common = TimeRanges.Intersect([Range(0, 4), Range(6, 10)], [Range(2, 7), Range(9, 12)]);

        Assert.Equal([Range(2, 4), Range(6, 7), Range(9, 10)], common);
    }

    [Fact]
    public void Subtract_cuts_holes_including_ones_that_span_several_ranges()
    {
        // [0,10) minus [2,3) and [8,13) leaves [0,2) [3,8); [12,15) minus [8,13) leaves [13,15).
        var rest = TimeRanges.Subtract([Range(0, 10), Range(12, 15)], [Range(2, 3), Range(8, 13)]);

        Assert.Equal([Range(0, 2), Range(3, 8), Range(13, 15)], rest);
        Assert.Equal(TimeSpan.FromHours(2 + 5 + 2), TimeRanges.Duration(rest));
    }

    private static TimeRange Range(int fromHour, int toHour)
    {
        var day = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        return new TimeRange(day.AddHours(fromHour), day.AddHours(toHour));
    }
}
