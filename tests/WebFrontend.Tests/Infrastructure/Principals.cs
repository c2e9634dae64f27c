using System.Security.Claims;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;

namespace MesOrleans.WebFrontend.Tests.Infrastructure;

/// <summary>Signed-in principals for calling services directly, as a page's circuit would.</summary>
public static class Principals
{
    public static ClaimsPrincipal With(string name, params string[] grants) =>
        new(new ClaimsIdentity(grants.Select(g => new Claim(SiteGrant.ClaimType, g)).Append(new Claim(ClaimTypes.Name, name)), "test"));

    public static ClaimsPrincipal Station(string id, string line) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, $"station:{id}"),
                new Claim(MesAccess.StationClaim, id),
                new Claim(MesAccess.StationLineClaim, line),
                new Claim(SiteGrant.ClaimType, $"{MesRoles.Operator}@{line.Split('/')[0]}"),
            ],
            "test"));

    /// <summary>The enterprise admin, managing users from 127.0.0.1.</summary>
    public static Manager EnterpriseAdmin { get; } = new(MesAccess.Of(With("test-admin", "admin@*")), "127.0.0.1");
}
