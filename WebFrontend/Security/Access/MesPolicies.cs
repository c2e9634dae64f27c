using Microsoft.AspNetCore.Authorization;

namespace MesOrleans.WebFrontend.Security.Access;

/// <summary>
/// Every authorization policy of the MES, in one table: who may do what, and where. Every endpoint and page names
/// one of these (a test enumerates the route table to prove it). "Where" is the site of the route: its <c>{site}</c>,
/// the site of a ticket id (<c>plant1-0042</c>) or of a work order's line; a route without one needs the role at
/// some site, and lists are then filtered to the caller's sites. Admin satisfies every role at the sites of its grant.
/// </summary>
public static class MesPolicies
{
    /// <summary>Anyone signed in with a role anywhere, a bound station too: the home page, the site list, signing out.</summary>
    public const string SignedIn = "mes.signed-in";

    /// <summary>Any role at the site: live status, OEE, events, tickets, KPIs, work orders, the board.</summary>
    public const string View = "mes.view";

    /// <summary>Operators (and supervisors, engineers) record at a machine: states, stops, scrap, counts. Bound stations too.</summary>
    public const string Operate = "mes.operate";

    /// <summary>Corrections after the fact: re-code or split a stop, void an entry.</summary>
    public const string Correct = "mes.correct";

    /// <summary>The shift handover on the board.</summary>
    public const string Supervise = "mes.supervise";

    /// <summary>Work orders: create, import, release, start, pause, resume, complete, close, reorder, dispatch; the schedule page.</summary>
    public const string Plan = "mes.plan";

    /// <summary>Quality: inspection plans, inspections, non-conformance reports and corrective actions, the quality page.</summary>
    public const string Quality = "mes.quality";

    /// <summary>Open a maintenance ticket by hand.</summary>
    public const string ReportBreakdown = "mes.report-breakdown";

    /// <summary>Reports over any window (trends, losses, exports): supervisors and engineers at the site.</summary>
    public const string Reports = "mes.reports";

    /// <summary>The maintenance desk: ticket steps and notes.</summary>
    public const string Maintain = "mes.maintain";

    /// <summary>The plant model (all sites at once): read, replace, the admin editor, unknown devices.</summary>
    public const string PlantModel = "mes.plant-model";

    /// <summary>Administration at the site (or anywhere): users, API tokens, stations, audit, ingestion stats, OpenAPI.</summary>
    public const string Admin = "mes.admin";

    /// <summary>The enterprise overview of all plants: a grant at all sites.</summary>
    public const string Enterprise = "mes.enterprise";

    /// <summary>
    /// <c>GET /metrics</c>: a token with the role <see cref="MesRoles.Metrics"/> (or an admin of all sites), or no
    /// credentials from loopback or <c>Mes:Metrics:OpenTo</c> (<see cref="MetricsScrapers"/>). Not a role at a site, so not in <see cref="Requirements"/>.
    /// </summary>
    public const string Metrics = "mes.metrics";

    /// <summary>The table: policy → roles, where, and whether a bound operator station may use it.</summary>
    public static readonly IReadOnlyDictionary<string, SiteRoleRequirement> Requirements = new Dictionary<string, SiteRoleRequirement>
    {
        [SignedIn] = new(MesRoles.All, SiteScope.Anywhere, StationsMayUse: true),
        [View] = new(MesRoles.All, SiteScope.RouteSite),
        [Operate] = new([MesRoles.Operator, MesRoles.Supervisor, MesRoles.Engineer], SiteScope.RouteSite, StationsMayUse: true),
        [Correct] = new([MesRoles.Supervisor, MesRoles.Quality, MesRoles.Engineer], SiteScope.RouteSite),
        [Supervise] = new([MesRoles.Supervisor], SiteScope.RouteSite),
        [Plan] = new([MesRoles.Planner, MesRoles.Supervisor], SiteScope.RouteSite),
        [Quality] = new([MesRoles.Quality, MesRoles.Engineer], SiteScope.RouteSite),
        [ReportBreakdown] = new([MesRoles.Operator, MesRoles.Maintenance, MesRoles.Supervisor, MesRoles.Engineer], SiteScope.RouteSite),
        [Maintain] = new([MesRoles.Maintenance, MesRoles.Supervisor], SiteScope.RouteSite),
        [Reports] = new([MesRoles.Supervisor, MesRoles.Engineer], SiteScope.RouteSite),
        [PlantModel] = new([MesRoles.Engineer], SiteScope.AllSites),
        [Admin] = new([MesRoles.Admin], SiteScope.RouteSite),
        [Enterprise] = new(MesRoles.All, SiteScope.AllSites),
    };

    public static void AddMesPolicies(this AuthorizationOptions options)
    {
        foreach (var (name, requirement) in Requirements)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().AddRequirements(requirement));
        }

        options.AddPolicy(Metrics, policy => policy.AddRequirements(new MetricsScrapers()));

        // Routes that name no policy (the Blazor hub) still need someone signed in: a person, a token or a station.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}

/// <summary>Where a policy's roles must be held.</summary>
public enum SiteScope
{
    /// <summary>At the route's site, or at some site when the route has none.</summary>
    RouteSite,

    /// <summary>At some site.</summary>
    Anywhere,

    /// <summary>Through an all-sites grant.</summary>
    AllSites,
}

/// <summary>One of <paramref name="Roles"/> (or admin) held where <paramref name="Scope"/> says.</summary>
public sealed record SiteRoleRequirement(IReadOnlyList<string> Roles, SiteScope Scope, bool StationsMayUse = false) : IAuthorizationRequirement;
