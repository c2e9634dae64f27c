using MesOrleans.Lines;
using MesOrleans.Oee;
using MesOrleans.Plant;

namespace MesOrleans.Sites;

/// <summary>A site's master data from the plant model.</summary>
[GenerateSerializer, Immutable, Alias("mes.SiteConfig")]
public sealed record SiteConfig(
    [property: Id(0)] string Name,
    [property: Id(1)] string TimeZone,
    [property: Id(2)] IReadOnlyList<ShiftModel> Shifts,
    [property: Id(3)] IReadOnlyList<string> LineIds);

/// <summary>A site's live view.</summary>
[GenerateSerializer, Immutable, Alias("mes.SiteStatus")]
public sealed record SiteStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] IReadOnlyList<LineStatus> Lines,
    [property: Id(4)] OeeFigures? ShiftOee);

/// <summary>A site (plant), keyed by its id.</summary>
[Alias("mes.ISiteGrain")]
public interface ISiteGrain : IGrainWithStringKey
{
    /// <summary>Sets the site's master data (called by the plant model).</summary>
    [Alias("Configure")]
    Task ConfigureAsync(SiteConfig config);

    /// <summary>The site's master data. Unknown sites throw NotFound.</summary>
    [Alias("GetConfig")]
    Task<SiteConfig> GetConfigAsync();

    /// <summary>The live view of every line and machine.</summary>
    [Alias("GetStatus")]
    Task<SiteStatus> GetStatusAsync();

    /// <summary>Current-shift OEE, aggregated over the lines' machines.</summary>
    [Alias("GetShiftOee")]
    Task<OeeFigures> GetShiftOeeAsync();
}
