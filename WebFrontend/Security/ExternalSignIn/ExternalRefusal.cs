using System.Net;

namespace MesOrleans.WebFrontend.Security.ExternalSignIn;

/// <summary>The page a person sees when their provider signed them in but the MES does not let them in (403).</summary>
internal sealed class ExternalRefusal(string message) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext.Response, message);

    public static async Task WriteAsync(HttpResponse response, string message)
    {
        response.StatusCode = StatusCodes.Status403Forbidden;
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync($$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not signed in · MesOrleans</title>
            <link rel="stylesheet" href="/app.css"><link rel="stylesheet" href="/css/security.css"></head><body class="mes-signin-page"><main class="mes-signin-card" data-role="external-refused">
            <h1>Not signed in</h1><p>{{WebUtility.HtmlEncode(message)}}</p>
            <p><a href="/signin">Back to the sign-in page</a></p></main></body></html>
            """);
    }
}
