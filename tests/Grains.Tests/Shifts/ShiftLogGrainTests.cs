using MesOrleans.Errors;
using MesOrleans.Shifts;
using MesOrleans.Tests.Cluster;

namespace MesOrleans.Tests.Shifts;

[Collection(ClusterCollection.Name)]
public sealed class ShiftLogGrainTests(ClusterFixture fixture)
{
    private static readonly ShiftSummary Summary = new(380, 12, 0.71, 0.9, 0.85, 0.93, 42, ["Hydraulic fault 30 min"]);

    [Fact]
    public async Task Handovers_are_kept_newest_first()
    {
        var log = fixture.Grains.GetGrain<IShiftLogGrain>(ClusterPlant.SiteId);
        var plant = fixture.Plant;

        var first = await log.HandOverAsync(new HandOverShift("Day", plant.ShiftStart, plant.ShiftEnd, "Maria", "Press 2 leaks oil.", Summary));
        var second = await log.HandOverAsync(new HandOverShift("Day", plant.ShiftStart, plant.ShiftEnd, " Tom ", " All good. ", Summary));

        var recent = await log.GetRecentAsync(2);
        Assert.Equal([second.Id, first.Id], recent.Select(h => h.Id));
        Assert.Equal("Tom", recent[0].Author);
        Assert.Equal("All good.", recent[0].Note);
        Assert.Equal(Summary.TopLosses, recent[1].Summary.TopLosses);
    }

    [Fact]
    public async Task A_handover_without_author_or_note_is_refused_with_every_problem()
    {
        var log = fixture.Grains.GetGrain<IShiftLogGrain>(ClusterPlant.SiteId);

        var refused = await Assert.ThrowsAsync<MesCommandException>(() =>
            log.HandOverAsync(new HandOverShift("Day", fixture.Plant.ShiftStart, fixture.Plant.ShiftEnd, " ", "", Summary)));

        Assert.Equal(MesErrorKind.Invalid, refused.Kind);
        Assert.Equal(["$.author", "$.note"], refused.Problems.Select(p => p.Path));
    }

    [Fact]
    public async Task An_unknown_site_has_no_shift_log()
    {
        var log = fixture.Grains.GetGrain<IShiftLogGrain>("nowhere");

        var refused = await Assert.ThrowsAsync<MesCommandException>(() =>
            log.HandOverAsync(new HandOverShift("Day", fixture.Plant.ShiftStart, fixture.Plant.ShiftEnd, "Maria", "Hi", Summary)));

        Assert.Equal(MesErrorKind.NotFound, refused.Kind);
    }
}
