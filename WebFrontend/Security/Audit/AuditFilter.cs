using System.Text.Json;
using MesOrleans.Errors;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.Audit;

/// <summary>
/// Writes every REST command (POST, PUT, PATCH, DELETE) to the audit trail once it has run: the caller, the
/// address, the route, the body and how it ended, refused commands included. Reads are not audited.
/// </summary>
public static class AuditFilter
{
    private static readonly HashSet<string> Commands = ["POST", "PUT", "PATCH", "DELETE"];

    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var bodies = context.MethodInfo.GetParameters()
            .Select((p, i) => (Index: i, p.ParameterType))
            .Where(p => p.ParameterType.IsClass && p.ParameterType.Namespace?.StartsWith("MesOrleans", StringComparison.Ordinal) == true)
            .Select(p => p.Index)
            .ToArray();

        return async invocation =>
        {
            var http = invocation.HttpContext;
            var metadata = http.GetEndpoint()?.Metadata;
            if (!Commands.Contains(http.Request.Method) || metadata?.GetMetadata<NotAuditedMetadata>() is not null)
            {
                return await next(invocation);
            }

            var action = metadata?.GetMetadata<AuditActionMetadata>()?.Action ?? $"{http.Request.Method} {(http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText}";
            try
            {
                var result = await next(invocation);
                var status = (result as IStatusCodeHttpResult)?.StatusCode ?? http.Response.StatusCode;
                await RecordAsync(invocation, action, bodies, status < 400 ? "ok" : $"refused {status}");
                return result;
            }
            catch (MesCommandException refused)
            {
                await RecordAsync(invocation, action, bodies, $"refused {refused.Kind}: {refused.Message}");
                throw;
            }
        };
    }

    private static async Task RecordAsync(EndpointFilterInvocationContext invocation, string action, int[] bodies, string outcome)
    {
        var http = invocation.HttpContext;
        var services = http.RequestServices;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var detail = bodies.Length == 0
            ? null
            : string.Join(' ', bodies.Select(i => invocation.Arguments[i]).OfType<object>().Select(b => JsonSerializer.Serialize(b, b.GetType(), json)));
        var (site, _) = await RouteSite.ResolveAsync(http, services.GetRequiredService<IGrainFactory>());
        await services.GetRequiredService<AuditTrail>().RecordAsync(new AuditRecord(
            MesAccess.Of(http.User).Name, http.Connection.RemoteIpAddress?.ToString(), action, site, http.Request.Path, detail, outcome));
    }
}

/// <summary>Names a command in the audit trail instead of its method and route.</summary>
public sealed record AuditActionMetadata(string Action);

/// <summary>Marks a command the endpoint audits itself (sign-in, which must not log the password).</summary>
public sealed record NotAuditedMetadata;
