using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>
/// A token or cookie that was valid when issued but whose account was disabled or whose password was reset since
/// (<see cref="AccountClaims"/> makes it anonymous) counts as not signed in: 401 or the sign-in page, not 403.
/// </summary>
internal sealed class EndedSessions(IAuthorizationService authorization) : PolicyEvaluator(authorization)
{
    public override async Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        var result = await base.AuthenticateAsync(policy, context);
        return result.Succeeded && result.Principal?.Identity?.IsAuthenticated != true ? AuthenticateResult.NoResult() : result;
    }
}
