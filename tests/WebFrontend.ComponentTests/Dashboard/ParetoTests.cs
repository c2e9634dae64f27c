using MesOrleans.Reports;

namespace MesOrleans.WebFrontend.ComponentTests.Dashboard;

public sealed class ParetoTests
{
    [Fact]
    public void Causes_are_ranked_largest_first_with_their_share_and_the_running_share()
    {
        var bars = Pareto.Rank([Loss("NM", "No material", 10), Loss("E12", "Hydraulic fault", 50), Loss("CO", "Changeover", 40)]);

        Assert.Equal(["E12", "CO", "NM"], bars.Select(b => b.Code));
        Assert.Equal([0.5, 0.4, 0.1], bars.Select(b => Math.Round(b.Share, 6)));
        Assert.Equal([0.5, 0.9, 1.0], bars.Select(b => Math.Round(b.CumulativeShare, 6)));
    }

    [Fact]
    public void The_last_running_share_is_exactly_one_whatever_the_rounding()
    {
        var bars = Pareto.Rank(Enumerable.Range(1, 7).Select(i => Loss($"R{i}", $"Reason {i}", 0.1 * i)));

        Assert.Equal(1.0, bars[^1].CumulativeShare);
        Assert.True(bars.Zip(bars.Skip(1)).All(p => p.First.CumulativeShare <= p.Second.CumulativeShare));
    }

    [Fact]
    public void Amounts_of_one_code_add_up_and_causes_that_lost_nothing_are_left_out()
    {
        var bars = Pareto.Rank([Loss("E12", "Hydraulic fault", 5, 1), Loss("e12", "Hydraulic fault", 7, 2), Loss("QC", "Quality check", 0)]);

        var bar = Assert.Single(bars);
        Assert.Equal(12, bar.Amount);
        Assert.Equal(3, bar.Occurrences);
        Assert.Equal(1, bar.Share);
    }

    [Fact]
    public void Equal_amounts_are_ordered_by_name() =>
        Assert.Equal(["Burr", "Scratch"], Pareto.Rank([Loss("S2", "Scratch", 3), Loss("S1", "Burr", 3)]).Select(b => b.Name));

    [Fact]
    public void Nothing_lost_is_an_empty_chart() =>
        Assert.Empty(Pareto.Rank([]));

    private static LossAmount Loss(string code, string name, double amount, int occurrences = 1) => new(code, name, "breakdown", amount, occurrences);
}
