using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MesOrleans.WebFrontend.Security.Audit;

/// <summary>The audit trail for admins: a search, and the same as CSV. An admin of some sites sees those sites' entries.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/audit").WithTags("Audit trail").RequireAuthorization(MesPolicies.Admin);

        api.MapGet("", async Task<Ok<IReadOnlyList<AuditEntry>>> (DateTimeOffset? from, DateTimeOffset? to, string? site, string? text, int? limit, HttpContext http, AuditTrail audit) =>
            TypedResults.Ok(await audit.SearchAsync(new AuditQuery(from, to, site, text, limit ?? 200), MesAccess.Of(http.User))));

        api.MapGet("/export", async Task<FileContentHttpResult> (DateTimeOffset? from, DateTimeOffset? to, string? site, string? text, HttpContext http, AuditTrail audit, TimeProvider time) =>
        {
            var entries = await audit.SearchAsync(new AuditQuery(from, to, site, text, AuditTrail.MaxResults), MesAccess.Of(http.User));
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(AuditCsv.Write(entries)), "text/csv", $"mes-audit-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv");
        });

        return api;
    }
}
