using MesOrleans.Hosting.Metrics;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>
/// How a request that is not allowed is answered: the API with 401 (not signed in) or 403 (not allowed) and
/// problem details; pages by a redirect to the sign-in page, or a 403 page that says who is signed in.
/// </summary>
internal static class NotSignedIn
{
    /// <summary>Requests from programs, answered with status codes: the API, OpenAPI and the Prometheus scrape.</summary>
    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments(MesMetricsExtensions.Path);

    public static Task AnswerAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    public static async Task ForbiddenAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        if (IsApi(context.Request))
        {
            return;
        }

        var who = WebUtility.HtmlEncode(context.HttpContext.User.Identity?.Name ?? "nobody");
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not allowed · MesOrleans</title>
            <link rel="stylesheet" href="/app.css"><link rel="stylesheet" href="/css/security.css"></head><body class="mes-signin-page"><main class="mes-signin-card" data-role="forbidden">
            <h1>Not allowed</h1><p>You are signed in as <b>{{who}}</b>, whose roles do not include this page or this site.</p>
            <p><a href="/">Back to the plant</a> · <a href="/signin">Sign in as someone else</a></p></main></body></html>
            """);
    }
}
