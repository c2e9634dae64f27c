using MesOrleans.WebFrontend.Components.Floor;

namespace MesOrleans.WebFrontend.ComponentTests.Floor;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData(0, "0 min")]
    [InlineData(8.0 / 60, "8 s")]
    [InlineData(0.2 / 60, "1 s")]
    [InlineData(0.5, "1 min")]
    [InlineData(45, "45 min")]
    [InlineData(125, "2 h 05 min")]
    public void Report_minutes_never_hide_a_short_stop_as_zero(double minutes, string expected) =>
        Assert.Equal(expected, DurationText.Minutes(minutes));
}
