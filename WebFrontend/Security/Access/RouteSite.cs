using MesOrleans.Maintenance;
using MesOrleans.WebFrontend.WorkOrders;
using Microsoft.AspNetCore.Components;

namespace MesOrleans.WebFrontend.Security.Access;

/// <summary>A site (and line) a service asks about, where there is no route: <c>authorize(user, policy, new SiteResource("plant1"))</c>.</summary>
public sealed record SiteResource(string Site, string? Line = null);

/// <summary>
/// The site a request or page is about, from its route: <c>{site}</c>, a ticket id's site (<c>plant1-0042</c>), or
/// the site of a work order's line. Null when the route names none (or an order that does not exist, which the
/// endpoint then answers 404).
/// </summary>
public static class RouteSite
{
    public static async Task<(string? Site, string? Line)> ResolveAsync(object? resource, IGrainFactory grains)
    {
        if (resource is SiteResource explicitSite)
        {
            return (explicitSite.Site, explicitSite.Line);
        }

        var values = resource switch
        {
            HttpContext http => http.Request.RouteValues.ToDictionary(v => v.Key, v => v.Value?.ToString(), StringComparer.OrdinalIgnoreCase),
            Microsoft.AspNetCore.Components.RouteData page => page.RouteValues.ToDictionary(v => v.Key, v => v.Value?.ToString(), StringComparer.OrdinalIgnoreCase),
            _ => new Dictionary<string, string?>(),
        };

        if (values.GetValueOrDefault("site") is { Length: > 0 } site)
        {
            return (site, values.GetValueOrDefault("line"));
        }

        if (values.GetValueOrDefault("id") is { } id && TicketId.TryParse(id, out var ticketSite, out _))
        {
            return (ticketSite, null);
        }

        if (values.GetValueOrDefault("orderNumber") is { Length: > 0 } order)
        {
            return (await WorkOrderDesk.SiteOfAsync(grains, order), null);
        }

        return (null, null);
    }
}
