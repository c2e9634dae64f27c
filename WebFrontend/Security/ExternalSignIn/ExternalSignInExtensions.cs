using MesOrleans.WebFrontend.Security.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MesOrleans.WebFrontend.Security.ExternalSignIn;

/// <summary>
/// Optional sign-in with the plant's OpenID Connect provider (authorization code flow with PKCE). The provider's
/// answer lands at <c>/signin-oidc</c> (the handler's callback), which keeps it in Identity's external cookie and
/// goes on to <c>/signin/external/done</c>: there <see cref="ExternalAccounts"/> turns it into a local user and a
/// browser session like any other.
/// </summary>
public static class ExternalSignInExtensions
{
    /// <summary>The authentication scheme, and the login provider's name on the linked local users.</summary>
    public const string Scheme = "oidc";

    public const string ChallengePath = "/signin/external";

    public const string DonePath = "/signin/external/done";

    internal static void AddExternalSignIn(this WebApplicationBuilder builder, AuthenticationBuilder authentication)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();
        services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.SectionName).ValidateOnStart();
        if (builder.Configuration.GetSection(OidcOptions.SectionName).Get<OidcOptions>() is not { Enabled: true } configured)
        {
            return;
        }

        services.AddScoped<ExternalAccounts>();
        authentication.AddOpenIdConnect(Scheme, configured.DisplayName, _ => { });
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<OidcOptions>>((oidc, settings) =>
        {
            var mes = settings.Value;
            oidc.Authority = mes.Authority;
            oidc.ClientId = mes.ClientId;
            oidc.ClientSecret = string.IsNullOrEmpty(mes.ClientSecret) ? null : mes.ClientSecret;
            oidc.RequireHttpsMetadata = mes.RequireHttpsMetadata;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            oidc.Scope.Clear();
            oidc.Scope.Add("openid");
            foreach (var scope in mes.Scopes.Distinct())
            {
                oidc.Scope.Add(scope);
            }

            // The provider's own claim names, unmapped: the roles claim is looked up by the name configured.
            oidc.MapInboundClaims = false;
            oidc.GetClaimsFromUserInfoEndpoint = true;
            oidc.ClaimActions.MapJsonKey(mes.RolesClaim, mes.RolesClaim);
            oidc.SignInScheme = IdentityConstants.ExternalScheme;

            // The answer comes back as a top-level GET (not a cross-site form post), so the correlation and nonce
            // cookies can be SameSite=Lax and work on a plant network that serves the MES over plain http too.
            oidc.ResponseMode = OpenIdConnectResponseMode.Query;
            oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
            oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oidc.NonceCookie.SameSite = SameSiteMode.Lax;
            oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oidc.Events.OnRemoteFailure = RefuseAsync;
        });
    }

    /// <summary>The button's target (starts the flow) and where the flow ends; both anonymous, as the sign-in page is.</summary>
    public static IEndpointRouteBuilder MapExternalSignIn(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<OidcOptions>>().Value.Enabled)
        {
            return app;
        }

        app.MapGet(ChallengePath, ([FromQuery] string? returnUrl) => TypedResults.Challenge(
                new AuthenticationProperties { RedirectUri = $"{DonePath}?returnUrl={Uri.EscapeDataString(LocalUrl.OrHome(returnUrl))}" },
                [Scheme]))
            .AllowAnonymous()
            .ExcludeFromDescription();

        app.MapGet(DonePath, async Task<IResult> (HttpContext http, [FromQuery] string? returnUrl, [FromServices] ExternalAccounts accounts) =>
            {
                var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
                await http.SignOutAsync(IdentityConstants.ExternalScheme);
                if (external.Principal is not { Identity.IsAuthenticated: true } principal)
                {
                    return TypedResults.LocalRedirect("/signin");
                }

                var refusal = await accounts.SignInAsync(http, principal);
                return refusal is null ? TypedResults.LocalRedirect(LocalUrl.OrHome(returnUrl)) : new ExternalRefusal(refusal);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

        return app;
    }

    // The provider said no (the user cancelled, an unknown client) or its answer did not check out.
    private static async Task RefuseAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var why = context.Failure?.Message ?? "no answer";
        await context.HttpContext.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(new AuditRecord(
            "", context.HttpContext.Connection.RemoteIpAddress?.ToString(), "auth.sign-in.failed", null, "/signin-oidc", "OpenID Connect", $"refused: {why}"));
        await ExternalRefusal.WriteAsync(context.Response, "Your identity provider did not sign you in. Try again, or sign in with your MES user name and password.");
    }
}
