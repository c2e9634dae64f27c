using MesOrleans.Quality;

namespace MesOrleans.Tests.Quality;

/// <summary>Control limits with the standard constants and the Western Electric rules, against data worked out by hand.</summary>
public sealed class ControlChartTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Xbar_r_limits_use_a2_d3_and_d4_for_the_subgroup_size()
    {
        var chart = ControlChart.Build(
        [
            Group(2, 9.9, 10.0, 9.8, 10.1, 9.7),    // given out of order: mean 9.9, range 0.4
            Group(0, 10.0, 10.2, 9.8, 10.1, 9.9),   // mean 10.0, range 0.4
            Group(1, 10.1, 10.3, 10.0, 10.2, 9.9),  // mean 10.1, range 0.4
        ], subgroupSize: 5);

        // X̿ = 10.0, R̄ = 0.4; A2 = 0.577: 10 ± 0.2308; D4 = 2.114, D3 = 0: range limits 0.8456 and 0.
        Assert.Equal((ControlChart.XbarR, 5), (chart.Chart, chart.SubgroupSize));
        AssertLimits(new ChartLimits(10.0, 10.2308, 9.7692), chart.Xbar);
        AssertLimits(new ChartLimits(0.4, 0.8456, 0), chart.Range);
        Assert.Equal([10.0, 10.1, 9.9], chart.Points.Select(p => Math.Round(p.Mean, 6)));
        Assert.Equal([T0, T0.AddHours(1), T0.AddHours(2)], chart.Points.Select(p => p.At));
        Assert.All(chart.Points, p => Assert.Equal(0.4, p.Range!.Value, 6));
    }

    [Fact]
    public void Subgroups_of_seven_have_a_lower_range_limit()
    {
        var chart = ControlChart.Build([Group(0, 1, 2, 3, 4, 5, 6, 7), Group(1, 2, 3, 4, 5, 6, 7, 8)], subgroupSize: 7);

        // R̄ = 6, X̿ = 4.5; A2 = 0.419, D3 = 0.076, D4 = 1.924.
        AssertLimits(new ChartLimits(4.5, 4.5 + (0.419 * 6), 4.5 - (0.419 * 6)), chart.Xbar);
        AssertLimits(new ChartLimits(6, 1.924 * 6, 0.076 * 6), chart.Range);
    }

    [Fact]
    public void Individuals_use_the_moving_range()
    {
        var chart = ControlChart.Build([Group(0, 10), Group(1, 12), Group(2, 11), Group(3, 13)], subgroupSize: 1);

        // X̄ = 11.5; moving ranges 2, 1, 2: M̄R̄ = 5/3; limits 11.5 ± 2.66 × 5/3 = ± 4.4333; MR limit 3.267 × 5/3 = 5.445.
        Assert.Equal(ControlChart.Imr, chart.Chart);
        AssertLimits(new ChartLimits(11.5, 15.9333, 7.0667), chart.Xbar);
        AssertLimits(new ChartLimits(5.0 / 3, 5.445, 0), chart.Range);
        Assert.Equal([null, 2.0, 1.0, 2.0], chart.Points.Select(p => p.Range));
    }

    [Fact]
    public void Limits_a_plan_fixes_are_used_and_a_chart_without_data_has_none()
    {
        var fixedX = new ControlLimits(10, 10.3, 9.7);
        var fixedR = new ControlLimits(0.2, 0.5, 0);
        var chart = ControlChart.Build([Group(0, 10.4, 10.4)], subgroupSize: 2, fixedX, fixedR);

        Assert.Equal(new ChartLimits(10, 10.3, 9.7), chart.Xbar);
        Assert.Equal(new ChartLimits(0.2, 0.5, 0), chart.Range);
        Assert.Equal(["rule1"], Assert.Single(chart.Points).Violations);
        Assert.Null(ControlChart.Build([], subgroupSize: 5).Xbar);
        Assert.Null(ControlChart.Build([Group(0, 10)], subgroupSize: 1).Xbar);
    }

    // Limits 0 ± 3: one zone is 1.
    private static readonly ChartLimits Unit = new(0, 3, -3);

    [Fact]
    public void Rule_1_is_a_point_beyond_a_control_limit()
    {
        // On the limit is not beyond it.
        Assert.Equal([[], ["rule1"], [], ["rule1"], [], []], Rules(0, 3.5, 0, -3.2, 0, 3.0));
    }

    [Fact]
    public void Rule_2_is_two_of_three_points_beyond_two_zones_on_the_same_side()
    {
        Assert.Equal([[], [], ["rule2"]], Rules(2.5, 0, 2.1));
        Assert.Equal([[], [], []], Rules(2.5, -2.5, 0));
        // The third point completes no pattern of its own side, so only points beyond two zones are marked.
        Assert.Equal([[], [], ["rule2"], []], Rules(-2.2, 1, -2.9, 0.5));
    }

    [Fact]
    public void Rule_3_is_four_of_five_points_beyond_one_zone_on_the_same_side()
    {
        Assert.Equal([[], [], [], [], ["rule3"]], Rules(1.5, 1.2, 0.5, 1.1, 1.3));
        Assert.Equal([[], [], [], [], []], Rules(1.5, 0.5, -1.5, 1.1, 1.3));
    }

    [Fact]
    public void Rule_4_is_eight_points_in_a_row_on_the_same_side_of_the_center()
    {
        var rules = Rules(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.1);

        Assert.All(rules.Take(7), r => Assert.Empty(r));
        Assert.Equal(["rule4"], rules[7]);
        Assert.Equal(["rule4"], rules[8]);
        Assert.Empty(rules[9]);
    }

    [Fact]
    public void A_point_may_break_several_rules()
    {
        // Eight above the center, the last two beyond two zones and the last beyond the limit.
        var rules = Rules(0.5, 0.5, 1.5, 1.5, 1.5, 0.5, 2.5, 3.5);

        Assert.Equal(["rule1", "rule2", "rule3", "rule4"], rules[7]);
    }

    private static List<IReadOnlyList<string>> Rules(params double[] values) => WesternElectric.Check(values, Unit);

    private static Subgroup Group(int hour, params double[] values) => new(T0.AddHours(hour), values);

    private static void AssertLimits(ChartLimits expected, ChartLimits? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Center, actual.Center, 4);
        Assert.Equal(expected.Ucl, actual.Ucl, 4);
        Assert.Equal(expected.Lcl, actual.Lcl, 4);
    }
}
