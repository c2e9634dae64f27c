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

        var totals = CountTotals.Sum(events, new TimeRange(At(6), At(14)));

        // 100 + 50 + 1 = 151 made, 5 of them scrap.
        Assert.Equal(new CountTotals(151, 5), totals);
    }
}
