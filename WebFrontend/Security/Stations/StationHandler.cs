using System.Security.Claims;
using System.Text.Encodings.Web;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.Stations;

/// <summary>
/// Authenticates a tablet bound to a line by its device cookie. The station may open the operator pages of its
/// line's machines and nothing else (<see cref="SiteRoleRequirement.StationsMayUse"/>); an operator then signs in on
/// it by badge or PIN for their actions to carry their name.
/// </summary>
internal sealed class StationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, MesIdentityDb db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MesStation";
    public const string Cookie = "MesStation";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TokenSecret.TrySplit(Request.Cookies[Cookie], '.', out var id, out var secret))
        {
            return AuthenticateResult.NoResult();
        }

        var station = await db.Stations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id);
        if (station is null || station.RevokedAt is not null || !TokenSecret.Matches(secret, station.SecretHash))
        {
            return AuthenticateResult.Fail("The station is unknown or no longer bound.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, $"station:{station.Name}"),
                new Claim(MesAccess.StationClaim, station.Id),
                new Claim(MesAccess.StationLineClaim, $"{station.Site}/{station.Line}"),
                new Claim(SiteGrant.ClaimType, new SiteGrant(MesRoles.Operator, station.Site).ToString()),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
