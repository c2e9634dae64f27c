using MesOrleans.Maintenance;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace MesOrleans.Placement;

/// <summary>
/// Chooses, among the silos a grain may run on, those whose metadata names its site; when none does, all of them.
/// A random one of those, so that a site's grains spread over its silos.
/// </summary>
internal sealed class SitePlacementDirector(IServiceProvider services) : IPlacementDirector
{
    // Silo metadata is published by hosts that declare sites (AddMesSilo); a silo without it places anywhere.
    private readonly ISiloMetadataCache? _metadata = services.GetService<ISiloMetadataCache>();

    /// <summary>The silo metadata key that lists the sites a silo serves, comma-separated.</summary>
    public const string SitesKey = "mes.sites";

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var site = SiteOf(((SitePlacement)strategy).KeyKind, target.GrainIdentity.Key.ToString() ?? "");
        var serving = site is null ? [] : silos.Where(silo => Serves(silo, site)).ToArray();
        var pool = serving.Length > 0 ? serving : silos;
        return Task.FromResult(pool[Random.Shared.Next(pool.Length)]);
    }

    internal static string? SiteOf(SiteKeyKind kind, string key) => kind switch
    {
        SiteKeyKind.TicketId => TicketId.TryParse(key, out var site, out _) ? site : null,
        _ => key.Split('/', 2)[0] is { Length: > 0 } first ? first : null,
    };

    private bool Serves(SiloAddress silo, string site) =>
        _metadata is not null
        && _metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SitesKey, out var sites)
        && sites.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(site, StringComparer.Ordinal);
}
