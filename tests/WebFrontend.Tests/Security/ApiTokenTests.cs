using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Security.Accounts;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests.Security;

/// <summary>API tokens for systems: scoped to their sites and roles, stored hashed, shown once, revocable.</summary>
public sealed class ApiTokenTests(RouteAuthorizationTests.App app) : IClassFixture<RouteAuthorizationTests.App>
{
    private MesApp Instance => app.Instance;

    [Fact]
    public async Task A_token_holds_its_roles_at_its_sites_only_and_answers_401_once_revoked()
    {
        using var admin = Instance.CreateClient();
        var created = await admin.PostAsJsonAsync("api/tokens", new { name = "TV wall hall 1", sites = new[] { Site }, roles = new[] { "supervisor" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var (id, token) = (body.GetProperty("id").GetString()!, body.GetProperty("token").GetString()!);
        Assert.Equal($"/api/tokens/{id}", created.Headers.Location?.OriginalString);

        using var wall = Instance.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await wall.GetAsync($"api/sites/{Site}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wall.GetAsync($"api/sites/{TwoSites.Other}")).StatusCode);
        Assert.Equal([Site], (await wall.GetFromJsonAsync<JsonElement>("api/sites")).EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await wall.GetAsync("api/plant")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wall.PostAsJsonAsync("api/tokens", new { name = "more", sites = new[] { Site }, roles = new[] { "admin" } })).StatusCode);
        var handover = await wall.PostAsJsonAsync($"{MachineUrl(Welder)}/stops/{Guid.NewGuid()}/recode", new { reasonCode = "E12", by = "wall", why = "test" });
        Assert.True(handover.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"a supervisor may correct: {(int)handover.StatusCode}");

        var listed = await admin.GetFromJsonAsync<JsonElement>("api/tokens");
        Assert.Contains(listed.EnumerateArray(), t => t.GetProperty("id").GetString() == id && !t.TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/tokens/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await wall.GetAsync($"api/sites/{Site}")).StatusCode);
    }

    [Fact]
    public async Task The_secret_is_kept_only_as_a_hash()
    {
        using var admin = Instance.CreateClient();
        var body = await (await admin.PostAsJsonAsync("api/tokens", new { name = "ERP import", sites = new[] { "*" }, roles = new[] { "planner" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;

        await using var scope = Instance.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<MesIdentityDb>().ApiTokens.SingleAsync(t => t.Id == body.GetProperty("id").GetString());

        Assert.DoesNotContain(token.Split('_')[^1], row.SecretHash + row.Grants + row.Name);
        Assert.Equal("planner@*", row.Grants);
    }

    [Fact]
    public async Task An_admin_of_one_site_issues_and_revokes_tokens_of_that_site_only()
    {
        using var siteAdmin = Instance.CreateClient(await app.TokenAsync(TwoSites.UserName("admin", Site)));
        var otherSite = await siteAdmin.PostAsJsonAsync("api/tokens", new { name = "x", sites = new[] { TwoSites.Other }, roles = new[] { "supervisor" } });
        var allSites = await siteAdmin.PostAsJsonAsync("api/tokens", new { name = "x", sites = new[] { "*" }, roles = new[] { "supervisor" } });
        var badRole = await siteAdmin.PostAsJsonAsync("api/tokens", new { name = "x", sites = new[] { Site }, roles = new[] { "boss" } });

        Assert.Equal(HttpStatusCode.BadRequest, otherSite.StatusCode);
        Assert.Contains("$.sites[0]", await otherSite.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, allSites.StatusCode);
        Assert.Contains("$.roles[0]", await badRole.Content.ReadAsStringAsync());

        using var enterprise = Instance.CreateClient();
        var plant2Token = (await (await enterprise.PostAsJsonAsync("api/tokens", new { name = "plant 2 wall", sites = new[] { TwoSites.Other }, roles = new[] { "supervisor" } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await siteAdmin.DeleteAsync($"api/tokens/{plant2Token}")).StatusCode);
        Assert.DoesNotContain((await siteAdmin.GetFromJsonAsync<JsonElement>("api/tokens")).EnumerateArray(), t => t.GetProperty("id").GetString() == plant2Token);
    }
}
