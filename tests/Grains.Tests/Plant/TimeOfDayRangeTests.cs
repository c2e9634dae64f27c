using MesOrleans.Plant;
using MesOrleans.Shifts;

namespace MesOrleans.Tests.Plant;

public sealed class TimeOfDayRangeTests
{
    [Theory]
    [InlineData("06:00", "14:00", 360, 480)]
    [InlineData("22:00", "06:00", 1320, 480)]
    [InlineData("23:59", "00:00", 1439, 1)]
    [InlineData("06:00", "06:00", 360, 1440)]
    public void Range_starts_at_its_minute_and_may_cross_midnight(string start, string end, int startMinute, int lengthMinutes)
    {
        var range = Range(start, end);

        Assert.Equal((startMinute, lengthMinutes), (range.StartMinute, range.LengthMinutes));
        Assert.Equal($"{start}–{end}", range.ToString());
    }

    [Theory]
    [InlineData("22:00", "06:00", "02:00", "02:30", true)]
    [InlineData("22:00", "06:00", "23:30", "00:30", true)]
    [InlineData("22:00", "06:00", "22:00", "06:00", true)]
    [InlineData("22:00", "06:00", "05:30", "06:30", false)]
    [InlineData("22:00", "06:00", "12:00", "13:00", false)]
    [InlineData("06:00", "14:00", "13:00", "07:00", false)]
    [InlineData("06:00", "06:00", "05:00", "05:59", true)]
    [InlineData("06:00", "06:00", "05:59", "06:01", false)]
    public void Contains_takes_midnight_into_account(string start, string end, string innerStart, string innerEnd, bool contains) =>
        Assert.Equal(contains, Range(start, end).Contains(Range(innerStart, innerEnd)));

    [Theory]
    [InlineData("06:00", "14:00", "14:00", "22:00", false)]
    [InlineData("22:00", "06:00", "06:00", "14:00", false)]
    [InlineData("22:00", "06:30", "06:00", "14:00", true)]
    [InlineData("06:00", "14:00", "22:00", "06:30", true)]
    [InlineData("20:00", "02:00", "01:00", "03:00", true)]
    [InlineData("00:00", "00:00", "12:00", "12:01", true)]
    [InlineData("23:00", "01:00", "01:00", "23:00", false)]
    public void Overlaps_is_symmetric_and_takes_midnight_into_account(string aStart, string aEnd, string bStart, string bEnd, bool overlaps)
    {
        Assert.Equal(overlaps, Range(aStart, aEnd).Overlaps(Range(bStart, bEnd)));
        Assert.Equal(overlaps, Range(bStart, bEnd).Overlaps(Range(aStart, aEnd)));
    }

    private static TimeOfDayRange Range(string start, string end) => new(ShiftTime.Parse(start), ShiftTime.Parse(end));
}
