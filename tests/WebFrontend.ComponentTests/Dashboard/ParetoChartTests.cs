using MesOrleans.Reports;
using MesOrleans.WebFrontend.Components.Dashboard;

namespace MesOrleans.WebFrontend.ComponentTests.Dashboard;

public sealed class ParetoChartTests : ComponentTest
{
    // The chart measures itself in the browser; here it is told its size.
    public ParetoChartTests() =>
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new() { Width = 600, Height = 260 });

    [Fact]
    public void The_ranked_causes_are_listed_with_their_amount_and_running_share()
    {
        var bars = Pareto.Rank([new LossAmount("E12", "Hydraulic fault", "breakdown", 90, 2), new LossAmount("NM", "No material", "idle", 30, 1)]);

        var cut = Render<ParetoChart>(p => p.Add(x => x.Bars, bars).Add(x => x.Kind, "downtime"));

        var items = cut.FindAll("[data-pareto=downtime] li");
        Assert.Equal(["E12", "NM"], items.Select(i => i.GetAttribute("data-code")));
        Assert.Equal("1 h 30 min", items[0].QuerySelector(".mes-pareto-amount")!.TextContent);
        Assert.Equal(1.0.ToString("P0"), items[1].QuerySelector(".mes-pareto-cum")!.TextContent);
    }

    [Fact]
    public void Bars_carry_their_rank_and_every_cause_is_named_in_full_below()
    {
        var causes = Enumerable.Range(1, 7).Select(i => new LossAmount($"C{i}", $"A rather long cause name number {i}", "breakdown", 100 - i, 1)).ToList();

        var cut = Render<ParetoChart>(p => p.Add(x => x.Bars, Pareto.Rank(causes)).Add(x => x.Kind, "downtime"));

        var names = cut.FindAll(".mes-pareto-name").Select(n => n.TextContent).ToList();
        Assert.Equal(causes.Select(c => c.Name), names);
        Assert.DoesNotContain("…", cut.Find("svg").TextContent);
        Assert.Contains("minutes (machine time)", cut.Find("svg").TextContent);
    }

    [Fact]
    public void Without_losses_the_chart_says_so_instead_of_drawing_nothing()
    {
        var cut = Render<ParetoChart>(p => p.Add(x => x.Bars, []).Add(x => x.Kind, "scrap").Add(x => x.Empty, "No scrap in this window."));

        Assert.Contains("No scrap in this window.", cut.Find(".mes-pareto-empty").TextContent);
    }
}
