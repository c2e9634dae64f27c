using MesOrleans.Hosting.Metrics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;

namespace MesOrleans.WebFrontend.Security.Access;

/// <summary>
/// Who may scrape <c>/metrics</c> (<see cref="MesPolicies.Metrics"/>): a caller that presents a token is judged by
/// it (the <see cref="MesRoles.Metrics"/> role, or an admin of all sites); one that presents none passes when it
/// calls from loopback or a network of <c>Mes:Metrics:OpenTo</c>.
/// </summary>
public sealed class MetricsScrapers : IAuthorizationRequirement;

internal sealed class MetricsScrapersHandler(MetricsCallers callers) : AuthorizationHandler<MetricsScrapers>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsScrapers requirement)
    {
        // A bad token presented from loopback is refused (401), not ignored: the scraper is misconfigured.
        var presentedNothing = context.User.Identity is not { IsAuthenticated: true }
            && context.Resource is HttpContext http && !http.Request.Headers.ContainsKey(HeaderNames.Authorization);
        if (presentedNothing
            ? callers.AreOpenTo((HttpContext)context.Resource!)
            : MesAccess.Of(context.User).MayScrapeMetrics)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
