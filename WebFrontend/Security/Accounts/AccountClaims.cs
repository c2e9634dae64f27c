using System.Security.Claims;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>
/// On every request of a person (browser session or access token): the account must still exist, be enabled and
/// carry the security stamp it signed in with (a password reset or "disable" changes it), or the request is
/// anonymous; and the grants are read from the database, so that a grant given or taken applies at once.
/// </summary>
internal sealed class AccountClaims(MesIdentityDb db, IOptions<IdentityOptions> identity) : IClaimsTransformation
{
    private const string CheckedClaim = "mes:account-checked";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        var claims = identity.Value.ClaimsIdentity;
        if (principal.Identity is not { IsAuthenticated: true } || principal.HasClaim(c => c.Type == CheckedClaim)
            || principal.FindFirstValue(claims.UserIdClaimType) is not { } userId
            || principal.HasClaim(c => c.Type is MesAccess.TokenClaim or MesAccess.StationClaim))
        {
            return principal;
        }

        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.Disabled }).SingleOrDefaultAsync();
        if (account is null || account.Disabled || account.SecurityStamp != principal.FindFirstValue(claims.SecurityStampClaimType))
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        var grants = await db.Grants.AsNoTracking().Where(g => g.UserId == userId).Select(g => new { g.Role, g.Site }).ToListAsync();
        var checkedIdentity = new ClaimsIdentity(
            grants.Select(g => new Claim(SiteGrant.ClaimType, new SiteGrant(g.Role, g.Site).ToString())).Append(new Claim(CheckedClaim, "1")));
        var result = principal.Clone();
        result.AddIdentity(checkedIdentity);
        return result;
    }
}
