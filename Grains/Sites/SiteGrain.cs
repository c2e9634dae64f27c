using MesOrleans.Errors;
using MesOrleans.Lines;
using MesOrleans.Oee;
using MesOrleans.Placement;
using MesOrleans.Plant;

namespace MesOrleans.Sites;

/// <summary>The persisted site: its master data.</summary>
public sealed class SiteGrainState
{
    public SiteConfig? Config { get; set; }
}

/// <inheritdoc cref="ISiteGrain" />
[PlaceBySite]
internal sealed class SiteGrain(
    [PersistentState("site", MesStorage.Name)] IPersistentState<SiteGrainState> state,
    TimeProvider time) : Grain, ISiteGrain
{
    public async Task ConfigureAsync(SiteConfig config)
    {
        state.State.Config = config;
        await state.WriteStateAsync();
    }

    public Task<SiteConfig> GetConfigAsync() => Task.FromResult(RequireKnown());

    public async Task<SiteStatus> GetStatusAsync()
    {
        var config = RequireKnown();
        var lines = await Task.WhenAll(Lines(config).Select(l => l.GetStatusAsync()));
        var oee = OeeFigures.Combine(lines.Select(l => l.ShiftOee).OfType<OeeFigures>().ToList());
        return new SiteStatus(this.GetPrimaryKeyString(), config.Name, config.TimeZone, lines, oee);
    }

    public async Task<OeeFigures> GetShiftOeeAsync()
    {
        var figures = await Task.WhenAll(Lines(RequireKnown()).Select(l => l.GetShiftOeeAsync()));
        var now = time.GetUtcNow();
        return OeeFigures.Combine(figures) ?? OeeFigures.Empty(now, now);
    }

    private IEnumerable<ILineGrain> Lines(SiteConfig config) =>
        config.LineIds.Select(id => GrainFactory.GetGrain<ILineGrain>(EquipmentPath.ForLine(this.GetPrimaryKeyString(), id).ToString()));

    private SiteConfig RequireKnown() =>
        state.State.Config ?? throw MesCommandException.NotFound($"Site '{this.GetPrimaryKeyString()}' is not in the plant model.");
}
