using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.Security.ExternalSignIn;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Tests.Security;

/// <summary>
/// Sign-in with an OpenID Connect provider, end to end against a real one (OpenIddict on a loopback port): the
/// sign-in page's button, the authorization code flow with PKCE through both servers' real redirects, and the
/// provider's <c>mes_roles</c> claim becoming the grants of a linked local user.
/// </summary>
public sealed partial class ExternalSignInTests
{
    private const string ProviderName = "Test IdP";

    [Fact]
    public async Task A_person_the_provider_signs_in_as_supervisor_at_plant1_opens_its_dashboard_and_no_other_site()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var app = await TwoSites.StartAsync(provider.MesSettings(ProviderName));
        await provider.RegisterClientAsync(app.BaseAddress);
        provider.Person = new TestPerson("sub-anna-1", "anna.berg", "Anna Berg", "supervisor@plant1", "wizard@plant1");

        using var browser = Browser(app);
        var landed = await SignInWithProviderAsync(browser, "/dashboard/plant1");

        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/dashboard/plant1", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("api/sites/plant1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"api/sites/{TwoSites.Other}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"dashboard/{TwoSites.Other}")).StatusCode);

        var user = Assert.Single(await app.Services.GetRequiredService<UserDirectory>().ListAsync(Principals.EnterpriseAdmin.Access), u => u.UserName == "anna.berg");
        Assert.Equal(("Anna Berg", false, ProviderName), (user.DisplayName, user.HasPassword, user.SignsInWith));
        Assert.Equal([new SiteGrant("supervisor", "plant1")], user.Grants);
        Assert.Contains(app.Log.Entries, e => e.Contains("'wizard@plant1'", StringComparison.Ordinal));
        var audit = await app.Services.GetRequiredService<AuditTrail>().SearchAsync(new AuditQuery(Text: "/signin-oidc"), Principals.EnterpriseAdmin.Access);
        Assert.Contains(audit, e => e is { Actor: "anna.berg", Action: "auth.sign-in", Outcome: "ok" });
    }

    [Fact]
    public async Task The_provider_decides_the_grants_at_each_sign_in_and_a_person_without_one_is_refused_and_signed_out()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var app = await TwoSites.StartAsync(provider.MesSettings(ProviderName));
        await provider.RegisterClientAsync(app.BaseAddress);
        using var first = Browser(app);
        provider.Person = new TestPerson("sub-ben-1", "ben", "Ben", "supervisor@plant1");
        Assert.Equal(HttpStatusCode.OK, (await SignInWithProviderAsync(first, "/")).StatusCode);

        provider.Person = provider.Person with { MesRoles = ["engineer@plant2"] };
        using var second = Browser(app);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithProviderAsync(second, "/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync($"api/sites/{TwoSites.Other}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await second.GetAsync("api/sites/plant1")).StatusCode);

        provider.Person = provider.Person with { MesRoles = ["wizard@plant1", "supervisor@", "admin"] };
        using var third = Browser(app);
        var refused = await SignInWithProviderAsync(third, "/");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("gave you no MES role", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await third.GetAsync("api/sites/plant1")).StatusCode);

        // The provider took every role away: the sessions the person had end too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("api/sites/plant1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync($"api/sites/{TwoSites.Other}")).StatusCode);
        var audit = await app.Services.GetRequiredService<AuditTrail>().SearchAsync(new AuditQuery(Text: "/signin-oidc"), Principals.EnterpriseAdmin.Access);
        Assert.Contains(audit, e => e is { Actor: "ben", Action: "auth.sign-in.failed", Outcome: "refused: no MES role" });
    }

    [Fact]
    public async Task A_disabled_user_is_refused_even_when_the_provider_still_grants_roles()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var app = await TwoSites.StartAsync(provider.MesSettings(ProviderName));
        await provider.RegisterClientAsync(app.BaseAddress);
        provider.Person = new TestPerson("sub-cleo-1", "cleo", "Cleo", "quality@plant1");
        using (var browser = Browser(app))
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInWithProviderAsync(browser, "/")).StatusCode);
        }

        var users = app.Services.GetRequiredService<UserDirectory>();
        var cleo = Assert.Single(await users.ListAsync(Principals.EnterpriseAdmin.Access), u => u.UserName == "cleo");
        await users.SetDisabledAsync(Principals.EnterpriseAdmin, cleo.Id, disabled: true);

        using var again = Browser(app);
        var refused = await SignInWithProviderAsync(again, "/");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("disabled", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_local_user_of_the_same_name_keeps_their_account_and_the_person_gets_a_name_of_their_own()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var app = await TwoSites.StartAsync(provider.MesSettings(ProviderName));
        await provider.RegisterClientAsync(app.BaseAddress);
        provider.Person = new TestPerson("sub-admin-impostor", MesApp.AdminUserName, "Impostor", "operator@plant1");

        using var browser = Browser(app);
        Assert.Equal(HttpStatusCode.OK, (await SignInWithProviderAsync(browser, "/")).StatusCode);

        var listed = await app.Services.GetRequiredService<UserDirectory>().ListAsync(Principals.EnterpriseAdmin.Access);
        Assert.Equal([new SiteGrant("admin", "*")], Assert.Single(listed, u => u.UserName == MesApp.AdminUserName).Grants);
        Assert.Single(listed, u => u.UserName.StartsWith("oidc-", StringComparison.Ordinal) && u.DisplayName == "Impostor");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("api/tokens")).StatusCode);
    }

    [Fact]
    public void The_roles_claim_maps_grants_and_sets_aside_what_is_not_one()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim("mes_roles", "supervisor@plant1"),
                new Claim("mes_roles", " admin@* "),
                new Claim("mes_roles", "supervisor@plant1"),
                new Claim("mes_roles", """["quality@plant2","nonsense"]"""),
                new Claim("mes_roles", "wizard@plant1"),
                new Claim("mes_roles", "operator@"),
                new Claim("mes_roles", "@plant1"),
                new Claim("mes_roles", "operator@bad site"),
                new Claim("roles", "engineer@plant1"),
            ],
            "test"));

        var mapped = ExternalGrants.From(principal, "mes_roles");

        Assert.Equal([new SiteGrant("supervisor", "plant1"), new SiteGrant("admin", "*"), new SiteGrant("quality", "plant2")], mapped.Grants);
        Assert.Equal(["nonsense", "wizard@plant1", "operator@", "@plant1", "operator@bad site"], mapped.Ignored);
        Assert.Empty(ExternalGrants.From(principal, "groups").Grants);
        Assert.Equal([new SiteGrant("engineer", "plant1")], ExternalGrants.From(principal, "roles").Grants);
    }

    [Theory]
    [InlineData(null, null, true, null)]
    [InlineData("https://login.example.com/realms/plant", "mes", true, null)]
    [InlineData("http://127.0.0.1:8080/", "mes", false, null)]
    [InlineData("http://idp.example.com/", "mes", false, "Mes:Auth:Oidc:RequireHttpsMetadata")]
    [InlineData("http://idp.example.com/", "mes", true, "Mes:Auth:Oidc:Authority must be https")]
    [InlineData("login.example.com", "mes", true, "Mes:Auth:Oidc:Authority must be an absolute")]
    [InlineData("https://login.example.com/", null, true, "Mes:Auth:Oidc:ClientId")]
    public void Settings_are_checked_at_start_with_the_key_named(string? authority, string? clientId, bool requireHttps, string? failure)
    {
        var result = new OidcOptionsValidator().Validate(null, new OidcOptions { Authority = authority, ClientId = clientId, RequireHttpsMetadata = requireHttps });

        if (failure is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains(failure, result.FailureMessage);
        }
    }

    [Fact]
    public async Task Without_an_authority_there_is_no_button_and_no_external_route()
    {
        await using var app = MesApp.StartWith(WebPlant.Model);
        using var browser = Browser(app);

        Assert.False(app.Services.GetRequiredService<IOptions<OidcOptions>>().Value.Enabled);
        Assert.DoesNotContain("sign-in-external", await browser.GetStringAsync("signin"));
        Assert.NotEqual(HttpStatusCode.Found, (await browser.GetAsync(ExternalSignInExtensions.ChallengePath)).StatusCode);
    }

    // A browser: cookies kept, redirects followed, across the MES and the provider (both on 127.0.0.1).
    private static HttpClient Browser(MesApp app) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true, MaxAutomaticRedirections = 10 })
        {
            BaseAddress = app.BaseAddress,
        };

    // Opens the sign-in page as a page request for returnUrl would, and follows its provider button to the end.
    private static async Task<HttpResponseMessage> SignInWithProviderAsync(HttpClient browser, string returnUrl)
    {
        var page = await browser.GetStringAsync($"signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        var button = ExternalButton().Match(page);
        Assert.True(button.Success, "The sign-in page has no provider button");
        Assert.Contains($"Sign in with {ProviderName}", button.Value);
        return await browser.GetAsync(WebUtility.HtmlDecode(button.Groups["href"].Value));
    }

    [GeneratedRegex("""<a [^>]*href="(?<href>[^"]+)"[^>]*data-action="sign-in-external"[^>]*>[^<]*</a>""")]
    private static partial Regex ExternalButton();
}
