using System.ComponentModel.DataAnnotations;
using MesOrleans.Errors;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.Security.Stations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>
/// Sign-in for scripts (<c>POST /api/auth/login</c> → an access token to send as <c>Authorization: Bearer</c>),
/// signing a browser out, and binding the browser it is posted from as an operator station.
/// </summary>
public static class SignInApi
{
    /// <summary><c>POST /api/auth/login</c>, in the API group (bounds apply); it audits itself, without the password.</summary>
    public static RouteHandlerBuilder MapSignInApi(this IEndpointRouteBuilder api) =>
        api.MapPost("/api/auth/login", LoginAsync)
            .WithTags("Sign-in")
            .AllowAnonymous()
            .WithMetadata(new NotAuditedMetadata());

    /// <summary>The forms pages post: signing out, binding a tablet as a station.</summary>
    public static IEndpointRouteBuilder MapSignInForms(this IEndpointRouteBuilder app)
    {
        app.MapPost("/signout", async Task<RedirectHttpResult> (HttpContext http, [FromForm] string? returnUrl) =>
        {
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            return TypedResults.LocalRedirect("/signin");
        }).RequireAuthorization(MesPolicies.SignedIn).ExcludeFromDescription();

        // Posted from the stations page on the tablet itself: the tablet gets the device cookie, the admin is signed out.
        app.MapPost("/admin/stations/bind", async Task<RedirectHttpResult> (HttpContext http, [FromForm] string? name, [FromForm] string? line, [FromServices] StationRegistry stations) =>
        {
            try
            {
                var (station, cookie) = await stations.BindAsync(new Manager(MesAccess.Of(http.User), http.Connection.RemoteIpAddress?.ToString()), name ?? "", line ?? "");
                http.Response.Cookies.Append(StationHandler.Cookie, cookie, new CookieOptions
                {
                    HttpOnly = true,
                    IsEssential = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = http.Request.IsHttps,
                    Expires = DateTimeOffset.UtcNow.AddYears(5),
                });
                await http.SignOutAsync(IdentityConstants.ApplicationScheme);
                return TypedResults.LocalRedirect("/operator");
            }
            catch (MesCommandException refused)
            {
                return TypedResults.LocalRedirect($"/admin/stations?error={Uri.EscapeDataString(refused.Message)}");
            }
        }).RequireAuthorization(MesPolicies.Admin).ExcludeFromDescription();

        return app;
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest body,
        HttpContext http,
        SignInManager<MesUser> signIn,
        IOptionsMonitor<BearerTokenOptions> bearer,
        IOptions<AuthOptions> options,
        AuditTrail audit,
        TimeProvider time)
    {
        var address = http.Connection.RemoteIpAddress?.ToString();
        var user = string.IsNullOrEmpty(body.UserName) ? null : await signIn.UserManager.FindByNameAsync(body.UserName);
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, body.Password ?? "", lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            var why = result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "disabled" : "wrong user name or password";
            await audit.RecordAsync(new AuditRecord(body.UserName ?? "", address, "auth.sign-in.failed", null, "/api/auth/login", null, $"refused: {why}"));
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Not signed in.",
                detail: result.IsLockedOut ? "The account is locked after repeated wrong passwords; try again later or ask an admin." : "Wrong user name or password.");
        }

        var lifetime = options.Value.AccessTokenLifetime;
        var principal = await signIn.CreateUserPrincipalAsync(user!);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = time.GetUtcNow() + lifetime }, IdentityConstants.BearerScheme);
        var token = bearer.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(ticket);
        await audit.RecordAsync(new AuditRecord(user!.UserName!, address, "auth.sign-in", null, "/api/auth/login", "access token", "ok"));
        return TypedResults.Ok(new LoginResponse(token, (long)lifetime.TotalSeconds));
    }
}

/// <summary>A script signs in with a user's name and password.</summary>
public sealed record LoginRequest(
    [property: MaxLength(TextLimits.Person)] string? UserName,
    [property: MaxLength(TextLimits.Secret)] string? Password);

/// <summary>An access token for <c>Authorization: Bearer</c>, valid for <c>expiresIn</c> seconds.</summary>
public sealed record LoginResponse(string AccessToken, long ExpiresIn, string TokenType = "Bearer");
