using MesOrleans.WebFrontend.Components.Operator;
using MesOrleans.WebFrontend.Operator;

namespace MesOrleans.WebFrontend.ComponentTests.Operator;

public sealed class ReasonPickerTests : ComponentTest
{
    private static readonly ReasonOption[] Reasons =
    [
        new("E12", "Hydraulic fault", "breakdown"),
        new("E21", "Electrical fault", "breakdown"),
        new("E40", "Material jam", "breakdown"),
        new("NM", "No material", "idle"),
        new("PM", "Preventive maintenance", "planned-maintenance"),
    ];

    private static readonly Dictionary<string, int> Uses = new() { ["NM"] = 5, ["E21"] = 2, ["E40"] = 1 };

    [Fact]
    public void Reasons_are_grouped_by_category_with_the_most_used_categories_and_reasons_first()
    {
        var cut = Render<ReasonPicker>(p => p.Add(x => x.Reasons, Reasons).Add(x => x.Uses, Uses));

        var groups = cut.FindAll(".mes-picker-group");
        Assert.Equal(["idle", "breakdown", "planned-maintenance"], groups.Select(g => g.GetAttribute("data-category")));
        Assert.Equal(["Idle", "Breakdown", "Planned maintenance"], cut.FindAll(".mes-picker-category").Select(h => h.TextContent));
        Assert.Equal(["E21", "E40", "E12"], groups[1].QuerySelectorAll("button[data-code]").Select(b => b.GetAttribute("data-code")));
    }

    [Fact]
    public void Unused_reasons_of_a_category_are_in_the_order_of_their_names()
    {
        var cut = Render<ReasonPicker>(p => p.Add(x => x.Reasons, Reasons));

        Assert.Equal(["E21", "E12", "E40"], cut.FindAll("[data-category=breakdown] button").Select(b => b.GetAttribute("data-code")));
    }

    [Fact]
    public void Tapping_a_reason_picks_its_code_and_cancel_picks_none()
    {
        string? picked = null;
        var cancelled = false;
        var cut = Render<ReasonPicker>(p => p
            .Add(x => x.Reasons, Reasons)
            .Add(x => x.OnPicked, code => picked = code)
            .Add(x => x.OnCancel, () => cancelled = true));

        cut.Find("button[data-code=NM]").Click();
        Assert.Equal("NM", picked);

        cut.Find("button[data-action=cancel]").Click();
        Assert.True(cancelled);
    }

    [Fact]
    public void The_current_reason_is_marked_and_a_busy_picker_takes_no_taps()
    {
        var cut = Render<ReasonPicker>(p => p.Add(x => x.Reasons, Reasons).Add(x => x.Current, "e40").Add(x => x.Disabled, true));

        Assert.Contains("mes-reason-current", cut.Find("button[data-code=E40]").ClassName);
        Assert.All(cut.FindAll("button[data-code]"), b => Assert.True(b.HasAttribute("disabled")));
    }

    [Fact]
    public void Without_reasons_the_picker_says_where_they_come_from()
    {
        var cut = Render<ReasonPicker>(p => p.Add(x => x.Reasons, []));

        Assert.Contains("reason catalog", cut.Markup);
        Assert.Empty(cut.FindAll("button[data-code]"));
    }

    [Fact]
    public void Buttons_are_touch_sized_by_the_stylesheet()
    {
        var css = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "app.css"));

        Assert.Contains("--mes-touch: 4rem;", css);
        Assert.Matches(@"\.mes-reason \{[^}]*min-height: 4\.5rem", css);
    }
}
