using MesOrleans.WebFrontend.Dashboard;

namespace MesOrleans.WebFrontend.ComponentTests.Dashboard;

public sealed class SplitInstantTests
{
    private static readonly CorrectionSite Berlin = new(
        "plant1", "Plant 1", TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), [], [], [], null, null, new DateOnly(2026, 3, 2));

    [Theory]
    [InlineData("10:05", 9, 5)] // 10:05 CET on the stop's day.
    [InlineData("10:05:30", 9, 5, 30)]
    [InlineData(" 9:58 ", 8, 58)]
    public void A_typed_time_is_on_the_stops_day_in_the_sites_zone(string typed, int hour, int minute, int second = 0) =>
        Assert.Equal(new DateTimeOffset(2026, 3, 2, hour, minute, second, TimeSpan.Zero), Berlin.SplitInstant(typed, new DateTimeOffset(2026, 3, 2, 8, 50, 0, TimeSpan.Zero)));

    [Fact]
    public void A_time_earlier_than_a_night_stops_start_is_after_midnight() =>
        Assert.Equal(
            new DateTimeOffset(2026, 3, 3, 0, 30, 0, TimeSpan.Zero),
            Berlin.SplitInstant("01:30", new DateTimeOffset(2026, 3, 2, 22, 0, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("")]
    [InlineData("half past ten")]
    [InlineData("25:00")]
    public void Text_that_is_no_time_gives_none(string typed) =>
        Assert.Null(Berlin.SplitInstant(typed, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero)));
}
