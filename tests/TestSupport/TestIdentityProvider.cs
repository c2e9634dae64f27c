using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MesOrleans.Testing;

/// <summary>A person as the test identity provider signs them in: its subject, names and the values of <c>mes_roles</c>.</summary>
public sealed record TestPerson(string Subject, string UserName, string Name, params string[] MesRoles);

/// <summary>
/// A real OpenID Connect provider for tests (OpenIddict's server on a loopback Kestrel port, its store in EF Core's
/// in-memory database): authorization code flow with PKCE, signing in whoever <see cref="Person"/> names without a
/// login form, as a provider does for a person who has a session with it already. The MES is registered as a
/// confidential client once its address is known (<see cref="RegisterClientAsync"/>).
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "mes";
    public const string ClientSecret = "test-client-secret-1";

    private readonly WebApplication _app;

    private TestIdentityProvider(WebApplication app, Uri authority)
    {
        _app = app;
        Authority = authority;
    }

    public Uri Authority { get; }

    /// <summary>Who the provider signs in at the next authorization request.</summary>
    public TestPerson Person { get; set; } = new("nobody", "nobody", "Nobody");

    /// <summary>The MES settings that point at this provider.</summary>
    public Dictionary<string, string?> MesSettings(string displayName) => new()
    {
        ["Mes:Auth:Oidc:Authority"] = Authority.ToString(),
        ["Mes:Auth:Oidc:ClientId"] = ClientId,
        ["Mes:Auth:Oidc:ClientSecret"] = ClientSecret,
        ["Mes:Auth:Oidc:DisplayName"] = displayName,
        ["Mes:Auth:Oidc:RequireHttpsMetadata"] = "false",
    };

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var database = "provider-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<ProviderDb>(options =>
        {
            options.UseInMemoryDatabase(database);
            options.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                server.DisableAccessTokenEncryption();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile);
                server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        var provider = new TestIdentityProvider(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapGet("connect/authorize", (HttpContext http) => provider.Authorize(http));
        await app.StartAsync();
        return provider;
    }

    /// <summary>Registers the MES at <paramref name="mes"/> as a client whose redirect URI is its <c>/signin-oidc</c>.</summary>
    public async Task RegisterClientAsync(Uri mes)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            RedirectUris = { new Uri(mes, "signin-oidc") },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an authorization request.");
        var person = Person;
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, person.Subject));
        identity.AddClaim(new Claim(Claims.PreferredUsername, person.UserName));
        identity.AddClaim(new Claim(Claims.Name, person.Name));
        foreach (var role in person.MesRoles)
        {
            identity.AddClaim(new Claim("mes_roles", role));
        }

        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}
