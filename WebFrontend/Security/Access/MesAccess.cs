using System.Security.Claims;

namespace MesOrleans.WebFrontend.Security.Access;

/// <summary>
/// What a signed-in principal (person, API token or operator station) may do: its grants, and for a station the one
/// line it is bound to. Built from the principal's claims; the same rules serve endpoints, pages and services.
/// </summary>
public sealed class MesAccess
{
    /// <summary>The claim a station principal carries: the line (<c>site/line</c>) it is bound to.</summary>
    public const string StationLineClaim = "mes:station-line";

    /// <summary>The claim a station principal carries: its id.</summary>
    public const string StationClaim = "mes:station";

    /// <summary>The claim an API token principal carries: the token's id.</summary>
    public const string TokenClaim = "mes:token";

    public static readonly MesAccess None = new([], null, "nobody");

    private readonly bool _scrapesMetrics;

    private MesAccess(IReadOnlyList<SiteGrant> grants, string? stationLine, string name, bool scrapesMetrics = false)
    {
        Grants = grants;
        _scrapesMetrics = scrapesMetrics;
        StationLine = stationLine;
        Name = name;
    }

    /// <summary>The grants of roles at sites (a <see cref="MesRoles.Metrics"/> grant is not one: it sees no site).</summary>
    public IReadOnlyList<SiteGrant> Grants { get; }

    /// <summary>Holds <see cref="MesRoles.Metrics"/>: may scrape <c>/metrics</c>, as an enterprise admin may.</summary>
    public bool MayScrapeMetrics => _scrapesMetrics || IsEnterpriseAdmin;

    /// <summary>The line a station is bound to (<c>site/line</c>); null for people and tokens.</summary>
    public string? StationLine { get; }

    public bool IsStation => StationLine is not null;

    /// <summary>Who this is, as the audit trail names them.</summary>
    public string Name { get; }

    public static MesAccess Of(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } identity)
        {
            return None;
        }

        var grants = user.FindAll(SiteGrant.ClaimType)
            .Select(c => SiteGrant.TryParse(c.Value, out var g) ? g : (SiteGrant?)null)
            .OfType<SiteGrant>()
            .Distinct()
            .ToList();
        var scrapesMetrics = grants.RemoveAll(g => g.Role == MesRoles.Metrics) > 0;
        return new MesAccess(grants, user.FindFirst(StationLineClaim)?.Value, identity.Name ?? "unknown", scrapesMetrics);
    }

    /// <summary>Holds one of <paramref name="roles"/> (or admin) at <paramref name="site"/>.</summary>
    public bool Holds(string site, IReadOnlyCollection<string> roles) =>
        Grants.Any(g => g.Covers(site) && (g.Role == MesRoles.Admin || roles.Contains(g.Role)));

    /// <summary>Holds one of <paramref name="roles"/> (or admin) at some site.</summary>
    public bool HoldsAnywhere(IReadOnlyCollection<string> roles) =>
        Grants.Any(g => g.Role == MesRoles.Admin || roles.Contains(g.Role));

    /// <summary>Holds one of <paramref name="roles"/> (or admin) through an all-sites grant.</summary>
    public bool HoldsEverywhere(IReadOnlyCollection<string> roles) =>
        Grants.Any(g => g.IsAllSites && (g.Role == MesRoles.Admin || roles.Contains(g.Role)));

    /// <summary>Holds what <paramref name="policy"/> (of <see cref="MesPolicies"/>) needs at <paramref name="site"/>; a station only at its line's site, and only for policies stations may use.</summary>
    public bool May(string policy, string site) =>
        MesPolicies.Requirements[policy] is var requirement
        && (!IsStation || (requirement.StationsMayUse && StationLine!.StartsWith(site + "/", StringComparison.Ordinal)))
        && (requirement.Scope == SiteScope.AllSites ? HoldsEverywhere(requirement.Roles) : Holds(site, requirement.Roles));

    /// <summary>May see the site at all (any role there).</summary>
    public bool Sees(string site) => Grants.Any(g => g.Covers(site));

    /// <summary>The sites among <paramref name="sites"/> this principal may see, in their order.</summary>
    public IReadOnlyList<string> Visible(IEnumerable<string> sites) => sites.Where(Sees).ToList();

    /// <summary>May administer <paramref name="site"/>: grant roles there, issue tokens for it, read its audit.</summary>
    public bool Administers(string site) => Grants.Any(g => g.Role == MesRoles.Admin && g.Covers(site));

    public bool IsEnterpriseAdmin => Grants.Any(g => g.Role == MesRoles.Admin && g.IsAllSites);
}
