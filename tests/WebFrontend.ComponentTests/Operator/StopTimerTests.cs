using MesOrleans.WebFrontend.Components.Floor;
using MesOrleans.WebFrontend.Components.Operator;

namespace MesOrleans.WebFrontend.ComponentTests.Operator;

public sealed class StopTimerTests : ComponentTest
{
    [Fact]
    public void The_timer_shows_how_long_the_stop_lasts_and_ticks_every_second()
    {
        var since = Clock.GetUtcNow().AddSeconds(-65);
        var cut = Render<StopTimer>(p => p.Add(x => x.Since, since));
        Assert.Equal("1:05", cut.Find("time").TextContent);

        Clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("1:06", cut.Find("time").TextContent));

        Clock.Advance(TimeSpan.FromHours(1));
        cut.WaitForAssertion(() => Assert.Equal("1:01:06", cut.Find("time").TextContent));
    }

    [Fact]
    public void Between_ticks_the_timer_stays_put()
    {
        var cut = Render<StopTimer>(p => p.Add(x => x.Since, Clock.GetUtcNow()));

        Clock.Advance(TimeSpan.FromMilliseconds(999));

        Assert.Equal("0:00", cut.Find("time").TextContent);
    }

    [Fact]
    public async Task A_timer_that_is_gone_no_longer_ticks()
    {
        var cut = Render<StopTimer>(p => p.Add(x => x.Since, Clock.GetUtcNow()));
        var before = cut.RenderCount;

        await DisposeComponentsAsync();
        Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(before, cut.RenderCount);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(7, "0:07")]
    [InlineData(12 * 60 + 5, "12:05")]
    [InlineData(59 * 60 + 59, "59:59")]
    [InlineData(3600 + 2 * 60 + 3, "1:02:03")]
    [InlineData(27 * 3600, "27:00:00")]
    [InlineData(-5, "0:00")]
    public void A_stop_reads_like_a_stopwatch(int seconds, string shown) =>
        Assert.Equal(shown, DurationText.Clock(TimeSpan.FromSeconds(seconds)));
}
