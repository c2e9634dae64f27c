using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.Time;
using static MesOrleans.Tests.Oee.Events;

namespace MesOrleans.Tests.Oee;

public sealed class CountTotalsTests
{
    [Fact]
    public void Sums_counts_in_the_window_without_the_voided_ones()
    {
        var voided = Count(At(9), 30);
        var events = new[]
        {
            Count(At(5, 59), 999), // before the window.
            State(At(6), MachineState.Running),
            Count(At(7), 100),
            Count(At(8), 50, scrap: 5),
            voided,
            Count(At(13, 59), 1),
            Count(At(14), 77), // the window ends at 14:00, exclusive.
            Void(voided, At(15)), // voided after the window: still out.
        };

        var totals = CountTotals.Sum(events, new TimeRange(At(6), At(14)), TimeSpan.FromSeconds(10));

        // 100 + 50 + 1 = 151 made, 5 of them scrap; at 10 s each: 1,510 s made, 1,460 s good.
        Assert.Equal(new CountTotals(151, 5, TimeSpan.FromSeconds(1510), TimeSpan.FromSeconds(1460)), totals);
    }

    [Fact]
    public void Each_count_takes_the_ideal_cycle_time_it_was_made_at_and_older_counts_the_configured_one()
    {
        var window = new TimeRange(At(6), At(14));
        var events = new[]
        {
            Count(At(7), 100),                                                             // before any product: configured 10 s
            Count(At(8), 60, scrap: 6) with { IdealCycleTime = TimeSpan.FromSeconds(30) }, // product A
            Count(At(9), 40) with { IdealCycleTime = TimeSpan.FromSeconds(5) },            // product B
        };

        var totals = CountTotals.Sum(events, window, TimeSpan.FromSeconds(10));

        // Made: 100 × 10 + 60 × 30 + 40 × 5 = 1,000 + 1,800 + 200 = 3,000 s; good: 1,000 + 54 × 30 + 200 = 2,820 s.
        Assert.Equal(new CountTotals(200, 6, TimeSpan.FromSeconds(3000), TimeSpan.FromSeconds(2820)), totals);
    }
}
