using System.ComponentModel.DataAnnotations;
using MesOrleans.Errors;
using MesOrleans.Plant;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ValidationProblem = MesOrleans.Errors.ValidationProblem;

namespace MesOrleans.WebFrontend.Security.Tokens;

/// <summary>
/// API tokens for systems: an admin creates one with a name, sites and roles and sees its secret once; it is a
/// bearer token from then on, until revoked. An admin issues and sees tokens for the sites they administer.
/// </summary>
public static class TokenApi
{
    public static RouteGroupBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tokens").WithTags("API tokens").RequireAuthorization(MesPolicies.Admin);

        api.MapPost("", async Task<Created<NewTokenResponse>> (CreateTokenRequest body, HttpContext http, ApiTokens tokens) =>
        {
            var token = await tokens.CreateAsync(MesAccess.Of(http.User), body);
            return TypedResults.Created($"/api/tokens/{token.Id}", token);
        });

        api.MapGet("", async Task<Ok<IReadOnlyList<TokenView>>> (HttpContext http, ApiTokens tokens) =>
            TypedResults.Ok(await tokens.ListAsync(MesAccess.Of(http.User))));

        api.MapDelete("/{tokenId}", async Task<Results<NoContent, NotFound>> (string tokenId, HttpContext http, ApiTokens tokens) =>
            await tokens.RevokeAsync(MesAccess.Of(http.User), tokenId) ? TypedResults.NoContent() : TypedResults.NotFound());

        return api;
    }
}

/// <summary>
/// Issues, lists and revokes API tokens. An admin issues tokens only for sites they administer (all sites: an
/// enterprise admin), and sees and revokes only those.
/// </summary>
public sealed class ApiTokens(IDbContextFactory<MesIdentityDb> databases, TimeProvider time)
{
    public async Task<NewTokenResponse> CreateAsync(MesAccess admin, CreateTokenRequest body)
    {
        var grants = Grants(body, admin);
        var (id, secret) = TokenSecret.New();
        await using var db = await databases.CreateDbContextAsync();
        db.ApiTokens.Add(new ApiToken
        {
            Id = id,
            Name = body.Name.Trim(),
            SecretHash = TokenSecret.Hash(secret),
            Grants = string.Join(' ', grants),
            CreatedBy = admin.Name,
            CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync();
        return new NewTokenResponse(id, TokenSecret.ApiToken(id, secret));
    }

    public async Task<IReadOnlyList<TokenView>> ListAsync(MesAccess admin)
    {
        await using var db = await databases.CreateDbContextAsync();
        var tokens = await db.ApiTokens.AsNoTracking().ToListAsync();
        return tokens.Where(t => Administers(admin, t)).OrderBy(t => t.Name).Select(TokenView.Of).ToList();
    }

    /// <summary>False when there is no such token this admin may see.</summary>
    public async Task<bool> RevokeAsync(MesAccess admin, string tokenId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId);
        if (token is null || !Administers(admin, token))
        {
            return false;
        }

        token.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync();
        return true;
    }

    private static List<SiteGrant> Grants(CreateTokenRequest body, MesAccess admin)
    {
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            problems.Add(new("$.name", "A token needs a name (what uses it: \"ERP import\", \"TV wall hall 2\")."));
        }

        // A metrics token sees no site: it needs none.
        var siteRoles = (body.Roles ?? []).Where(r => r != MesRoles.Metrics).ToList();
        var metrics = siteRoles.Count < (body.Roles?.Count ?? 0);
        if (body.Sites is not { Count: > 0 } && (siteRoles.Count > 0 || !metrics))
        {
            problems.Add(new("$.sites", $"Name at least one site, or \"{MesRoles.AllSites}\" for all."));
        }

        if (body.Roles is not { Count: > 0 })
        {
            problems.Add(new("$.roles", $"Name at least one role: {string.Join(", ", MesRoles.ForTokens)}."));
        }

        foreach (var (site, i) in (body.Sites ?? []).Select((s, i) => (s, i)))
        {
            if (site != MesRoles.AllSites && !EquipmentPath.IsValidSegment(site))
            {
                problems.Add(new($"$.sites[{i}]", $"'{site}' is not a site id."));
            }
            else if (site == MesRoles.AllSites ? !admin.IsEnterpriseAdmin : !admin.Administers(site))
            {
                problems.Add(new($"$.sites[{i}]", $"You do not administer '{site}'."));
            }
        }

        foreach (var (role, i) in (body.Roles ?? []).Select((r, i) => (r, i)))
        {
            if (!MesRoles.ForTokens.Contains(role))
            {
                problems.Add(new($"$.roles[{i}]", $"'{role}' is not a role: {string.Join(", ", MesRoles.ForTokens)}."));
            }
            else if (role == MesRoles.Metrics && !admin.IsEnterpriseAdmin)
            {
                problems.Add(new($"$.roles[{i}]", "Metrics cover every site: only an admin of all sites may issue a metrics token."));
            }
        }

        return problems.Count > 0
            ? throw MesCommandException.Invalid("The token cannot be created.", problems)
            : [.. (body.Sites ?? []).SelectMany(site => siteRoles.Select(role => new SiteGrant(role, site)))
                .Concat(metrics ? [new SiteGrant(MesRoles.Metrics, MesRoles.AllSites)] : [])
                .Distinct()];
    }

    private static bool Administers(MesAccess admin, ApiToken token) =>
        token.Grants.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(g =>
            SiteGrant.TryParse(g, out var grant) && (grant.IsAllSites ? admin.IsEnterpriseAdmin : admin.Administers(grant.Site)));
}

/// <summary>
/// A new API token: <c>sites</c> (site ids or <c>*</c>) × <c>roles</c> are its grants. The role <c>metrics</c> is
/// granted at <c>*</c> whatever the sites (which may then be left out); only an admin of all sites issues it.
/// </summary>
public sealed record CreateTokenRequest(
    [property: MaxLength(TextLimits.Name)] string Name,
    [property: MaxLength(50)] IReadOnlyList<string>? Sites,
    [property: MaxLength(8)] IReadOnlyList<string>? Roles);

/// <summary>The token, shown this once: keep it, the MES keeps only its hash.</summary>
public sealed record NewTokenResponse(string Id, string Token);

/// <summary>A token as lists show it: never its secret.</summary>
public sealed record TokenView(string Id, string Name, IReadOnlyList<string> Grants, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static TokenView Of(ApiToken t) => new(t.Id, t.Name, t.Grants.Split(' ', StringSplitOptions.RemoveEmptyEntries), t.CreatedBy, t.CreatedAt, t.RevokedAt);
}
