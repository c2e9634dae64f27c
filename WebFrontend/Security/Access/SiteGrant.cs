using System.Diagnostics.CodeAnalysis;
using MesOrleans.Plant;

namespace MesOrleans.WebFrontend.Security.Access;

/// <summary>
/// A role at a site (or at <see cref="MesRoles.AllSites"/>), written <c>supervisor@plant1</c> in claims and lists; a
/// token's <see cref="MesRoles.Metrics"/> is <c>metrics@*</c>.
/// </summary>
public readonly record struct SiteGrant(string Role, string Site)
{
    /// <summary>The claim that carries one grant of the signed-in user, token or station.</summary>
    public const string ClaimType = "mes:grant";

    public bool IsAllSites => Site == MesRoles.AllSites;

    public bool Covers(string site) => IsAllSites || string.Equals(Site, site, StringComparison.Ordinal);

    public override string ToString() => $"{Role}@{Site}";

    public static bool TryParse([NotNullWhen(true)] string? text, out SiteGrant grant)
    {
        grant = default;
        var at = text?.IndexOf('@') ?? -1;
        if (text is null || at <= 0)
        {
            return false;
        }

        var (role, site) = (text[..at], text[(at + 1)..]);
        var valid = role == MesRoles.Metrics
            ? site == MesRoles.AllSites
            : MesRoles.IsRole(role) && (site == MesRoles.AllSites || EquipmentPath.IsValidSegment(site));
        if (!valid)
        {
            return false;
        }

        grant = new SiteGrant(role, site);
        return true;
    }
}
