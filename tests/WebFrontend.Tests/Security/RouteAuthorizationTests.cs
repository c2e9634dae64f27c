using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests.Security;

/// <summary>
/// Every route of the app, read from its own route table, so that a new endpoint or page cannot be forgotten: it
/// names a policy of <see cref="MesPolicies"/> (or is one of the few anonymous ones), anonymous callers get 401 (API)
/// or the sign-in page (pages), a role the policy does not name gets 403, and a user of another site gets 403 or 404.
/// </summary>
public sealed class RouteAuthorizationTests(RouteAuthorizationTests.App app, ITestOutputHelper output) : IClassFixture<RouteAuthorizationTests.App>
{
    // The only routes anyone may open: health, signing in (with the identity provider too: the app below has one),
    // and static assets (which MapStaticAssets maps).
    private static readonly HashSet<string> Anonymous =
        ["/health", "/health/live", "/health/ready", "/signin", "/signin/setup", "/api/auth/login", "/signin/external", "/signin/external/done"];

    // Framework endpoints name no policy: the fallback policy (signed in) covers them. Blazor's hub and its redirect
    // helper, and the static assets' fallback for files outside the build manifest (none in a published app).
    private static bool IsFrameworkInfrastructure(string pattern) => pattern.StartsWith("/_blazor", StringComparison.Ordinal) || pattern == "/_framework/opaque-redirect" || pattern == "/{**path:file}";

    private static readonly Guid SomeStop = Guid.NewGuid();

    // Files a page loads (the API reference's script and icon among them) are static assets, whatever serves them.
    private static readonly HashSet<string> AssetExtensions = [".js", ".css", ".svg", ".ico", ".png", ".woff2"];

    // A value for every route parameter, all at plant1; a new parameter name fails the test until it has one here.
    private static readonly Dictionary<string, string> Samples = new(StringComparer.OrdinalIgnoreCase)
    {
        ["site"] = Site,
        ["line"] = Line,
        ["machine"] = Press,
        ["stopId"] = SomeStop.ToString(),
        ["entryId"] = SomeStop.ToString(),
        ["id"] = $"{Site}-0001",
        ["orderNumber"] = App.Order,
        ["tokenId"] = "0123456789ab",
        ["documentName"] = "v1",
        ["name"] = "gateway-1",
        ["partNumber"] = "Bracket",
        ["ncrId"] = "1",
        ["actionId"] = "1",
        ["page"] = "1",
    };

    [Fact]
    public void Every_route_names_a_policy_of_the_table_or_is_one_of_the_anonymous_ones()
    {
        var routes = Routes();
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            output.WriteLine($"{string.Join(',', route.Methods),-12} {route.Pattern,-70} {route.Policy ?? (route.IsAnonymous ? "anonymous" : "(fallback)")} {route.DisplayName}");
            if (route.IsAnonymous)
            {
                Assert.True(Anonymous.Contains(route.Pattern) || route.IsStaticAsset, $"{route.Pattern} is anonymous but not health, sign-in or a static asset");
            }
            else if (route.Policy is null)
            {
                Assert.True(IsFrameworkInfrastructure(route.Pattern), $"{route.Pattern} names no policy");
            }
            else if (route.Policy == MesPolicies.Metrics)
            {
                Assert.Equal("/metrics", route.Pattern);
            }
            else
            {
                Assert.True(MesPolicies.Requirements.ContainsKey(route.Policy), $"{route.Pattern}: '{route.Policy}' is not in MesPolicies");
            }
        }

        Assert.Equal(Anonymous.Order(), routes.Where(r => r.IsAnonymous && !r.IsStaticAsset).Select(r => r.Pattern).Distinct().Order());
    }

    [Fact]
    public void Every_text_of_every_request_body_has_a_maximum_length()
    {
        var bodies = app.Instance.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(e => e.Metadata.GetOrderedMetadata<IAcceptsMetadata>())
            .Select(a => a.RequestType)
            .OfType<Type>()
            .Distinct()
            .ToList();
        Assert.NotEmpty(bodies);
        foreach (var property in bodies.SelectMany(b => b.GetProperties()).Where(p => p.PropertyType == typeof(string) || typeof(IEnumerable<string>).IsAssignableFrom(p.PropertyType)))
        {
            Assert.True(property.GetCustomAttribute<MaxLengthAttribute>() is not null, $"{property.DeclaringType!.Name}.{property.Name} has no [MaxLength] (TextLimits)");
        }
    }

    [Fact]
    public async Task Anonymous_callers_get_401_from_the_api_and_the_sign_in_page_for_pages()
    {
        using var anonymous = Client(null);
        foreach (var route in Protected())
        {
            using var response = await anonymous.SendAsync(Request(route));
            if (route.IsApi)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route}: {(int)response.StatusCode}, not 401");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{route}: {(int)response.StatusCode}, not 302");
                Assert.StartsWith("/signin", response.Headers.Location?.AbsolutePath ?? response.Headers.Location?.OriginalString);
            }
        }
    }

    [Fact]
    public async Task A_role_the_policy_does_not_name_gets_403()
    {
        var checkedRoutes = 0;
        foreach (var route in Protected())
        {
            var requirement = MesPolicies.Requirements[route.Policy!];
            var wrong = MesRoles.All.FirstOrDefault(r => r != MesRoles.Admin && !requirement.Roles.Contains(r));
            if (wrong is null)
            {
                continue; // every role may: there is no wrong role
            }

            using var client = Client(await app.TokenAsync(TwoSites.UserName(wrong, Site)));
            using var response = await client.SendAsync(Request(route));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route} as {wrong}@{Site}: {(int)response.StatusCode}, not 403");
            checkedRoutes++;
        }

        Assert.True(checkedRoutes > 20, $"only {checkedRoutes} routes had a wrong role to try");
    }

    [Fact]
    public async Task A_user_with_every_right_role_at_another_site_gets_403_or_404()
    {
        var checkedRoutes = 0;
        foreach (var route in Protected().Where(r => r.NamesASite || MesPolicies.Requirements[r.Policy!].Scope == SiteScope.AllSites))
        {
            // The strongest user of plant2 for this route: its admin (admin may do everything, at plant2 only).
            using var client = Client(await app.TokenAsync(TwoSites.UserName(MesRoles.Admin, TwoSites.Other)));
            using var response = await client.SendAsync(Request(route));
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
                $"{route} as admin@{TwoSites.Other}: {(int)response.StatusCode}, not 403 or 404");
            checkedRoutes++;
        }

        Assert.True(checkedRoutes > 20, $"only {checkedRoutes} routes name a site");
    }

    [Fact]
    public async Task The_right_role_at_the_site_passes_authorization()
    {
        foreach (var route in Protected().Where(r => r.Methods.Contains("GET") && r.IsApi))
        {
            var requirement = MesPolicies.Requirements[route.Policy!];
            var role = requirement.Roles.Contains(MesRoles.Supervisor) && requirement.Scope != SiteScope.AllSites ? MesRoles.Supervisor : MesRoles.Admin;
            using var client = role == MesRoles.Admin ? app.Instance.CreateClient() : Client(await app.TokenAsync(TwoSites.UserName(role, Site)));
            using var response = await client.SendAsync(Request(route));
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{route} as {role}: {(int)response.StatusCode}");
        }
    }

    private HttpClient Client(string? token)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Instance.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    private static HttpRequestMessage Request(Route route)
    {
        var method = route.Methods.Contains("GET") ? HttpMethod.Get : new HttpMethod(route.Methods[0]);
        var request = new HttpRequestMessage(method, route.Url.TrimStart('/'));
        if (method != HttpMethod.Get)
        {
            // A body of the type the route accepts: a request it cannot read would be refused (415) before authorization.
            request.Content = route.Accepts switch
            {
                { } form when form.Contains("form", StringComparison.Ordinal) => new FormUrlEncodedContent(new Dictionary<string, string>()),
                { } other when !other.Contains("json", StringComparison.Ordinal) => new StringContent("", Encoding.UTF8, other),
                _ => new StringContent("{}", Encoding.UTF8, "application/json"),
            };
        }

        return request;
    }

    // The Prometheus scrape is open to loopback, where these tests call from, and is no role at a site: MetricsTests covers it.
    private IEnumerable<Route> Protected() => Routes().Where(r => r.Policy is not null && !r.IsAnonymous && r.Policy != MesPolicies.Metrics);

    private IReadOnlyList<Route> Routes() =>
        app.Instance.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => new Route(
                "/" + e.RoutePattern.RawText!.TrimStart('/'),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToArray() ?? ["GET"],
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                e.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)) || e.DisplayName?.Contains("static asset", StringComparison.OrdinalIgnoreCase) == true
                    || AssetExtensions.Contains(Path.GetExtension(e.RoutePattern.RawText!)),
                e.DisplayName,
                e.Metadata.GetOrderedMetadata<IAcceptsMetadata>().SelectMany(a => a.ContentTypes).FirstOrDefault()))
            .ToList();

    private sealed record Route(string Pattern, string[] Methods, string? Policy, bool IsAnonymous, bool IsStaticAsset, string? DisplayName, string? Accepts)
    {
        public bool IsApi => Pattern.StartsWith("/api/", StringComparison.Ordinal) || Pattern.StartsWith("/openapi", StringComparison.Ordinal);

        public bool NamesASite => Pattern.Contains("{site", StringComparison.OrdinalIgnoreCase) || Pattern.Contains("{id", StringComparison.Ordinal)
            || Pattern.Contains("{orderNumber", StringComparison.Ordinal);

        public string Url => System.Text.RegularExpressions.Regex.Replace(Pattern, @"\{(\w+)(:[^}]*)?\??\}", m =>
            Samples.TryGetValue(m.Groups[1].Value, out var value) ? value : throw new InvalidOperationException($"{Pattern}: add a sample value for {{{m.Groups[1].Value}}}"));

        public override string ToString() => $"{string.Join(',', Methods)} {Url}";
    }

    /// <summary>One app with two sites and a user per role at each, and a work order at plant1.</summary>
    public sealed class App : IAsyncLifetime
    {
        public const string Order = "WO-SEC-1";

        private readonly Dictionary<string, string> _tokens = [];

        public MesApp Instance { get; private set; } = null!;

        public async Task<string> TokenAsync(string userName)
        {
            if (!_tokens.TryGetValue(userName, out var token))
            {
                _tokens[userName] = token = await Instance.SignInAsync(userName, TwoSites.Password);
            }

            return token;
        }

        public async Task InitializeAsync()
        {
            // OpenID Connect on, so that its routes are in the table; no provider listens (none is asked here).
            Instance = await TwoSites.StartAsync(new Dictionary<string, string?>
            {
                ["Mes:Auth:Oidc:Authority"] = $"http://127.0.0.1:{FreePort.Next()}/",
                ["Mes:Auth:Oidc:ClientId"] = "mes",
                ["Mes:Auth:Oidc:RequireHttpsMetadata"] = "false",
            });
            using var admin = Instance.CreateClient();
            (await admin.PostAsJsonAsync("api/work-orders", new { orderNumber = Order, product = "Bracket", targetQuantity = 10, lineId = $"{Site}/{Line}" }))
                .EnsureSuccessStatusCode();
        }

        public async Task DisposeAsync() => await Instance.DisposeAsync();
    }
}
