using System.Security.Claims;
using System.Text.Encodings.Web;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.Tokens;

/// <summary>
/// Authenticates <c>Authorization: Bearer mes_…</c> with an API token: found by its id, its secret checked against
/// the stored hash, refused once revoked. The principal holds the token's grants and is named <c>token:{name}</c>.
/// </summary>
internal sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, MesIdentityDb db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MesApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !TokenSecret.TryParseApiToken(header["Bearer ".Length..].Trim(), out var id, out var secret))
        {
            return AuthenticateResult.NoResult();
        }

        var token = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id);
        if (token is null || token.RevokedAt is not null || !TokenSecret.Matches(secret, token.SecretHash))
        {
            return AuthenticateResult.Fail("The API token is unknown or revoked.");
        }

        var claims = token.Grants.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(g => new Claim(SiteGrant.ClaimType, g))
            .Append(new Claim(ClaimTypes.Name, $"token:{token.Name}"))
            .Append(new Claim(MesAccess.TokenClaim, token.Id));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
