using MesOrleans.WebFrontend.Components.Floor;
using Microsoft.Extensions.Time.Testing;

namespace MesOrleans.WebFrontend.Tests.Floor;

public sealed class ThrottledReadTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));
    private readonly List<DateTimeOffset> _reads = [];

    [Fact]
    public async Task A_change_within_the_interval_is_read_when_it_is_up_and_a_burst_costs_one_late_read()
    {
        using var read = NewRead();
        await read.RequestAsync();
        Assert.Single(_reads);

        _time.Advance(TimeSpan.FromSeconds(1));
        await read.RequestAsync();
        await read.RequestAsync();
        Assert.Single(_reads);

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal([_time.GetUtcNow() - Interval, _time.GetUtcNow()], _reads);

        // Nothing asked since: nothing more is read.
        _time.Advance(Interval * 3);
        Assert.Equal(2, _reads.Count);
    }

    [Fact]
    public async Task Now_reads_at_once_and_starts_the_interval_again()
    {
        using var read = NewRead();
        await read.RequestAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        await read.NowAsync();
        Assert.Equal(2, _reads.Count);

        _time.Advance(TimeSpan.FromSeconds(4.5));
        await read.RequestAsync();
        Assert.Equal(2, _reads.Count);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(3, _reads.Count);
    }

    [Fact]
    public async Task A_disposed_read_reads_nothing_late()
    {
        var read = NewRead();
        await read.RequestAsync();
        await read.RequestAsync();
        read.Dispose();
        _time.Advance(Interval * 2);
        Assert.Single(_reads);
    }

    private ThrottledRead NewRead() => new(Interval, _time, work => work(), () =>
    {
        _reads.Add(_time.GetUtcNow());
        return Task.CompletedTask;
    });
}
