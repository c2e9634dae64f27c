using MesOrleans.Hosting;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.Security.ExternalSignIn;
using MesOrleans.WebFrontend.Security.Stations;
using MesOrleans.WebFrontend.Security.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security;

/// <summary>
/// Sign-in and authorization for the whole web app: ASP.NET Core Identity on the identity database, browser sessions
/// (cookie), access tokens from <c>POST /api/auth/login</c>, API tokens and bound operator stations, the policies of
/// <see cref="MesPolicies"/>, the audit trail, and the first admin.
/// </summary>
public static class SecurityExtensions
{
    /// <summary>The scheme every request is authenticated with: it picks the right one of the four below.</summary>
    public const string Scheme = "Mes";

    public const string SessionCookie = "MesSession";

    public static IHostApplicationBuilder AddMesSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddDbContextFactory<MesIdentityDb>(UseDatabase);
        services.AddDbContext<MesIdentityDb>(UseDatabase, ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddHostedService<IdentitySchema>();

        // Keys in the database: sessions, access tokens and antiforgery tokens outlive a restart and are shared by
        // every web server of a cluster.
        services.AddDataProtection().SetApplicationName("MesOrleans").PersistKeysToDbContext<MesIdentityDb>();

        services.AddScoped<IUserConfirmation<MesUser>, ActiveAccount>();
        services.AddIdentityCore<MesUser>()
            .AddEntityFrameworkStores<MesIdentityDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AuthOptions>>((identity, auth) =>
        {
            identity.SignIn.RequireConfirmedAccount = true;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = auth.Value.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = auth.Value.LockoutDuration;
            identity.User.RequireUniqueEmail = false;
        });

        var authentication = services.AddAuthentication(Scheme);
        authentication.AddPolicyScheme(Scheme, "MES", options =>
            {
                options.ForwardDefaultSelector = SchemeOf;

                // Challenges and refusals answer like a browser session would: sign-in page or 403 for pages, 401 or 403 for the API.
                options.ForwardChallenge = IdentityConstants.ApplicationScheme;
                options.ForwardForbid = IdentityConstants.ApplicationScheme;
            })
            .AddBearerToken(IdentityConstants.BearerScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, StationHandler>(StationHandler.SchemeName, null)
            .AddIdentityCookies();
        builder.AddExternalSignIn(authentication);
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<AuthOptions>>((cookie, auth) =>
        {
            cookie.Cookie.Name = SessionCookie;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.HttpOnly = true;
            cookie.LoginPath = "/signin";
            cookie.ExpireTimeSpan = auth.Value.SessionLifetime;
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = NotSignedIn.AnswerAsync;
            cookie.Events.OnRedirectToAccessDenied = NotSignedIn.ForbiddenAsync;
        });

        services.AddScoped<IClaimsTransformation, AccountClaims>();
        services.AddSingleton<IAuthorizationHandler, SiteRoleHandler>();
        services.AddSingleton<IAuthorizationHandler, MetricsScrapersHandler>();
        services.AddAuthorization(options => options.AddMesPolicies());
        services.AddTransient<IPolicyEvaluator, EndedSessions>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        services.AddHttpContextAccessor();
        services.AddScoped<CircuitCaller>();
        services.AddScoped<CircuitCommands>();
        services.AddScoped<CircuitHandler, CircuitAddressCapture>();
        services.AddScoped<StationOperator>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<StationRegistry>();
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<FirstAdmin>();
        services.AddHostedService(sp => sp.GetRequiredService<FirstAdmin>());
        return builder;
    }

    public static WebApplication UseMesSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    // Standalone: identity.db beside mes.db (whose one writer belongs to the silo). Cluster: the cluster's PostgreSQL.
    private static void UseDatabase(IServiceProvider services, DbContextOptionsBuilder options)
    {
        var mes = services.GetRequiredService<IOptions<MesOptions>>().Value;
        if (mes.Mode == MesMode.Cluster)
        {
            options.UseNpgsql(services.GetRequiredService<IConfiguration>().GetConnectionString("Mes")
                ?? throw new InvalidOperationException("ConnectionStrings:Mes must name the cluster's PostgreSQL database in Cluster mode."));
        }
        else
        {
            options.UseSqlite($"Data Source={Path.Combine(mes.DataDirectory, "identity.db")}");
        }
    }

    private static string SchemeOf(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].TrimStart().StartsWith(TokenSecret.ApiTokenPrefix, StringComparison.Ordinal)
                ? ApiTokenHandler.SchemeName
                : IdentityConstants.BearerScheme;
        }

        // A bound tablet's pages, unless a person signed in on it (an admin binding it, say).
        return !NotSignedIn.IsApi(context.Request) && context.Request.Cookies.ContainsKey(StationHandler.Cookie)
            && !context.Request.Cookies.ContainsKey(SessionCookie)
            ? StationHandler.SchemeName
            : IdentityConstants.ApplicationScheme;
    }
}
