using Microsoft.AspNetCore.Authorization;

namespace MesOrleans.WebFrontend.Security.Access;

/// <summary>Decides <see cref="SiteRoleRequirement"/>s for endpoints (resource: the HttpContext), pages (RouteData) and services (<see cref="SiteResource"/>).</summary>
internal sealed class SiteRoleHandler(IGrainFactory grains) : AuthorizationHandler<SiteRoleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SiteRoleRequirement requirement)
    {
        var access = MesAccess.Of(context.User);
        if (access.IsStation && !requirement.StationsMayUse)
        {
            return;
        }

        var allowed = requirement.Scope switch
        {
            SiteScope.AllSites => access.HoldsEverywhere(requirement.Roles),
            SiteScope.Anywhere => access.HoldsAnywhere(requirement.Roles),
            _ => await AtRouteSiteAsync(context.Resource, access, requirement),
        };
        if (allowed)
        {
            context.Succeed(requirement);
        }
    }

    private async Task<bool> AtRouteSiteAsync(object? resource, MesAccess access, SiteRoleRequirement requirement)
    {
        var (site, line) = await RouteSite.ResolveAsync(resource, grains);
        if (site is null)
        {
            return access.HoldsAnywhere(requirement.Roles);
        }

        // A station serves the machines of its one line.
        return access.Holds(site, requirement.Roles)
            && (!access.IsStation || line is null || access.StationLine == $"{site}/{line}");
    }
}
