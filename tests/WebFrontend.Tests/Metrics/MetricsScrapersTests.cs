using System.Net;
using System.Security.Claims;
using MesOrleans.Hosting.Metrics;
using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Tests.Metrics;

/// <summary>The rule of <see cref="MesPolicies.Metrics"/> for callers a test cannot be: other hosts, with and without tokens.</summary>
public sealed class MetricsScrapersTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("10.9.0.1", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData("2001:db8::1", false)]
    public async Task A_caller_without_credentials_passes_from_loopback_and_the_open_networks_only(string address, bool passes)
    {
        var context = await AuthorizeAsync(IPAddress.Parse(address), new ClaimsPrincipal(new ClaimsIdentity()), "10.1.0.0/16");

        Assert.Equal(passes, context.HasSucceeded);
    }

    [Theory]
    [InlineData("metrics@*", true)]
    [InlineData("admin@*", true)]
    [InlineData("admin@plant1", false)]
    [InlineData("engineer@*", false)]
    public async Task A_caller_with_credentials_is_judged_by_them_from_any_network(string grant, bool passes)
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(SiteGrant.ClaimType, grant), new Claim(ClaimTypes.Name, "token:x")], "test"));

        Assert.Equal(passes, (await AuthorizeAsync(IPAddress.Parse("192.168.1.20"), user)).HasSucceeded);
        Assert.Equal(passes, (await AuthorizeAsync(IPAddress.Loopback, user)).HasSucceeded);
    }

    [Fact]
    public void A_metrics_grant_is_valid_at_all_sites_only_and_sees_no_site()
    {
        Assert.True(SiteGrant.TryParse("metrics@*", out _));
        Assert.False(SiteGrant.TryParse("metrics@plant1", out _));

        var access = MesAccess.Of(new ClaimsPrincipal(new ClaimsIdentity([new Claim(SiteGrant.ClaimType, "metrics@*")], "test")));
        Assert.True(access.MayScrapeMetrics);
        Assert.Empty(access.Grants);
        Assert.False(access.Sees("plant1"));
    }

    private static async Task<AuthorizationHandlerContext> AuthorizeAsync(IPAddress caller, ClaimsPrincipal user, params string[] openTo)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = caller;
        var handler = new MetricsScrapersHandler(new MetricsCallers(Options.Create(new MetricsOptions { OpenTo = [.. openTo] })));
        var context = new AuthorizationHandlerContext([new MetricsScrapers()], user, http);
        await handler.HandleAsync(context);
        return context;
    }
}
