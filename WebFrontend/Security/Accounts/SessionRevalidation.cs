using System.Security.Claims;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>
/// An open page (a Blazor circuit) keeps the user it started with; every minute this checks that the account is
/// still enabled with the same stamp, or the station still bound, and otherwise signs the page out.
/// </summary>
internal sealed class SessionRevalidation(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        var user = state.User;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MesIdentityDb>();
        if (user.FindFirstValue(MesAccess.StationClaim) is { } station)
        {
            return await db.Stations.AnyAsync(s => s.Id == station && s.RevokedAt == null, cancellationToken);
        }

        var claims = identity.Value.ClaimsIdentity;
        if (user.FindFirstValue(claims.UserIdClaimType) is not { } userId)
        {
            return false;
        }

        var stamp = user.FindFirstValue(claims.SecurityStampClaimType);
        return await db.Users.AnyAsync(u => u.Id == userId && !u.Disabled && u.SecurityStamp == stamp, cancellationToken);
    }
}
