namespace MesOrleans.WebFrontend.Security.Access;

/// <summary>
/// The roles a person (or an API token) may hold, each granted per site. An admin may do everything any role may
/// at the sites of the grant; a grant at <see cref="AllSites"/> holds at every site, present and future.
/// </summary>
public static class MesRoles
{
    public const string Operator = "operator";
    public const string Supervisor = "supervisor";
    public const string Planner = "planner";
    public const string Maintenance = "maintenance";
    public const string Quality = "quality";
    public const string Engineer = "engineer";
    public const string Admin = "admin";

    /// <summary>
    /// Not a role at a site: a monitoring system's token may scrape <c>/metrics</c> (cluster-wide, so always granted at
    /// <see cref="AllSites"/>, and never a way to see a site).
    /// </summary>
    public const string Metrics = "metrics";

    /// <summary>The site of a grant that holds at every site (enterprise admins, a plant-wide TV wall).</summary>
    public const string AllSites = "*";

    public static readonly IReadOnlyList<string> All = [Operator, Supervisor, Planner, Maintenance, Quality, Engineer, Admin];

    /// <summary>The roles an API token may hold: the site roles and <see cref="Metrics"/>.</summary>
    public static readonly IReadOnlyList<string> ForTokens = [.. All, Metrics];

    public static bool IsRole(string? role) => role is not null && All.Contains(role);
}
