using System.Security.Claims;
using MesOrleans.WebFrontend.Security.Access;

namespace MesOrleans.WebFrontend.Security.ExternalSignIn;

/// <summary>
/// The MES grants an identity provider gave a person: the values of the roles claim in the grammar of
/// <see cref="SiteGrant"/> (<c>supervisor@plant1</c>, <c>admin@*</c>). Values that are not grants are set aside to be
/// logged, never guessed at; a value may also be a JSON array of them, as some providers send one claim.
/// </summary>
public sealed record ExternalGrants(IReadOnlyList<SiteGrant> Grants, IReadOnlyList<string> Ignored)
{
    public static ExternalGrants From(ClaimsPrincipal principal, string rolesClaim)
    {
        var grants = new List<SiteGrant>();
        var ignored = new List<string>();
        foreach (var value in principal.FindAll(rolesClaim).SelectMany(c => Values(c.Value)))
        {
            if (SiteGrant.TryParse(value.Trim(), out var grant))
            {
                if (!grants.Contains(grant))
                {
                    grants.Add(grant);
                }
            }
            else
            {
                ignored.Add(value);
            }
        }

        return new ExternalGrants(grants, ignored);
    }

    private static IEnumerable<string> Values(string value)
    {
        if (!value.StartsWith('['))
        {
            return [value];
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string[]>(value) ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [value];
        }
    }
}
