using MesOrleans.Machines;
using MesOrleans.Oee;
using MesOrleans.WebFrontend.Components.Dashboard;
using MesOrleans.WebFrontend.Dashboard;

namespace MesOrleans.WebFrontend.ComponentTests.Dashboard;

/// <summary>How tiles and gauges show a shift the MES heard of only part of, or had nothing planned in.</summary>
public sealed class UnmonitoredTimeTests : ComponentTest
{
    private static readonly DateTimeOffset ShiftStart = new(2026, 3, 2, 5, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public UnmonitoredTimeTests() =>
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createGauge", _ => true).SetResult(new() { Width = 200, Height = 100 });

    [Fact]
    public void A_tile_says_since_when_it_has_data_instead_of_a_loss()
    {
        // The MES first heard of the machine at 13:32 UTC, 14:32 in Berlin: the 8 h 32 min of the shift before are not a loss.
        var figures = Figures(busy: TimeSpan.FromMinutes(28), run: TimeSpan.FromMinutes(28), unmonitored: TimeSpan.FromMinutes(512), dataSince: ShiftStart.AddMinutes(512));

        var cut = Render<MachineTile>(p => p
            .Add(x => x.Status, Status(figures))
            .Add(x => x.Now, ShiftStart.AddHours(9))
            .Add(x => x.Zone, Berlin)
            .Add(x => x.Target, new ProductionTarget(84, 84, 84, 84)));

        Assert.Equal("data since 14:32", cut.Find("[data-role=coverage]").TextContent);
        Assert.Equal("OEE100%", Squeezed(cut.Find("[data-role=oee]").TextContent));
        Assert.Contains("84 good", cut.Find("[data-role=target]").TextContent);
    }

    [Fact]
    public void A_tile_without_planned_time_says_no_plan_not_zero()
    {
        var cut = Render<MachineTile>(p => p.Add(x => x.Status, Status(Figures(TimeSpan.Zero, TimeSpan.Zero))).Add(x => x.Now, ShiftStart));

        Assert.Equal("OEE no plan", cut.Find("[data-role=oee]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-role=coverage]"));
    }

    [Fact]
    public void Gauges_of_machines_never_heard_of_say_no_data_yet()
    {
        var figures = Figures(TimeSpan.Zero, TimeSpan.Zero, unmonitored: TimeSpan.FromHours(2));

        var cut = Render<OeeGauges>(p => p.Add(x => x.Figures, figures).Add(x => x.Zone, Berlin));

        Assert.All(cut.FindAll(".mes-gauge-value"), v => Assert.Equal("no data yet", v.TextContent));
        Assert.Equal("2 h 00 min without data", cut.Find("[data-role=coverage]").TextContent);
    }

    [Fact]
    public void Gauges_show_the_figures_of_the_monitored_time_and_since_when()
    {
        var figures = Figures(TimeSpan.FromHours(1), TimeSpan.FromMinutes(45), unmonitored: TimeSpan.FromHours(1), dataSince: ShiftStart.AddHours(1));

        var cut = Render<OeeGauges>(p => p.Add(x => x.Figures, figures).Add(x => x.Zone, Berlin));

        Assert.Equal("75%", Squeezed(cut.Find("[data-factor=Availability] .mes-gauge-value").TextContent));
        // Nothing made: quality is undefined, not 0 %.
        Assert.Equal("—", cut.Find("[data-factor=Quality] .mes-gauge-value").TextContent);
        Assert.Equal("data since 07:00", cut.Find("[data-role=coverage]").TextContent);
    }

    [Fact]
    public void A_lines_figures_are_complete_since_its_last_machine_reported()
    {
        var early = Figures(TimeSpan.FromHours(7), TimeSpan.FromHours(7), unmonitored: TimeSpan.FromHours(1), dataSince: ShiftStart.AddHours(1));
        var late = Figures(TimeSpan.FromHours(5), TimeSpan.FromHours(5), unmonitored: TimeSpan.FromHours(3), dataSince: ShiftStart.AddHours(3));
        var throughout = Figures(TimeSpan.FromHours(8), TimeSpan.FromHours(8));

        var line = OeeFigures.Combine(ShiftStart, ShiftStart.AddHours(8), [early, late, throughout]);

        Assert.Equal(TimeSpan.FromHours(4), line.UnmonitoredTime);
        Assert.Equal(ShiftStart.AddHours(3), line.DataSince);
        Assert.Equal(TimeSpan.FromHours(20), line.PlannedBusyTime);
    }

    // Percentages are written as the culture writes them: "75 %" in some, "75%" in others.
    private static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static OeeFigures Figures(TimeSpan busy, TimeSpan run, TimeSpan unmonitored = default, DateTimeOffset? dataSince = null) =>
        OeeFigures.Empty(ShiftStart, ShiftStart.AddHours(8)) with
        {
            CalendarTime = TimeSpan.FromHours(8),
            PlannedBusyTime = busy,
            RunTime = run,
            UnmonitoredTime = unmonitored,
            DataSince = dataSince,
            TotalCount = run > TimeSpan.Zero && busy == run ? (long)(run.TotalSeconds / 20) : 0,
            IdealRunTime = busy == run ? run : TimeSpan.Zero,
            IdealGoodTime = busy == run ? run : TimeSpan.Zero,
        };

    private static MachineStatus Status(OeeFigures figures) =>
        new("plant1/assembly/press-1", "Press 1", MachineState.Running, ShiftStart, null, new ShiftWindow("Early", ShiftStart, ShiftStart.AddHours(8)), figures, false);
}
