using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Security.Access;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using MesOrleans.WebFrontend.Tests.Security;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests.Metrics;

/// <summary>
/// <c>GET /metrics</c> on the real app: the MES's, Orleans', the runtime's and ASP.NET Core's meters in Prometheus
/// text, open to loopback callers that present nothing, otherwise for a token with the role <c>metrics</c>; the
/// Orleans Dashboard for admins only.
/// </summary>
public sealed class MetricsTests(RouteAuthorizationTests.App app) : IClassFixture<RouteAuthorizationTests.App>
{
    private MesApp Instance => app.Instance;

    [Fact]
    public async Task Loopback_scrapes_without_a_token_and_reads_the_mes_and_orleans_meters_after_telemetry()
    {
        await using (var device = await MqttDevice.ConnectAsync(Instance.BrokerPort))
        {
            await device.PublishAsync($"mes/{Site}/{Line}/{Press}/state", $$"""{"ts":"{{ShiftStart.AddMinutes(5):O}}","state":"running"}""");
        }

        using var anonymous = Instance.CreateAnonymousClient();
        var text = await Eventually.ReadAsync(
            () => anonymous.GetStringAsync("metrics"),
            t => t.Contains("mes_telemetry_accepted_total ", StringComparison.Ordinal) && t.Contains("mes_history_commit_size_bucket", StringComparison.Ordinal));

        Assert.Matches(@"(?m)^mes_telemetry_accepted_total(\{[^}]*\})? [1-9]", text);
        Assert.Matches(@"(?m)^mes_telemetry_queue_depth(\{[^}]*\})? \d+", text);
        Assert.Matches(@"(?m)^mes_telemetry_queue_alarm(\{[^}]*\})? 0", text);
        Assert.Contains("mes_history_commit_duration_seconds_bucket", text);
        Assert.Contains("mes_history_pending", text);
        Assert.Contains("orleans_grains", text);
        Assert.Contains("dotnet_gc_collections_total", text);
        Assert.Contains("http_server_request_duration_seconds", text);

        // No machine ids as labels: a plant of thousands of machines must not make thousands of series.
        Assert.DoesNotContain(Press, text);
    }

    [Fact]
    public async Task A_metrics_token_scrapes_and_sees_no_site_while_other_credentials_get_401_or_403()
    {
        using var admin = Instance.CreateClient();
        var created = await admin.PostAsJsonAsync("api/tokens", new { name = "Prometheus", roles = new[] { MesRoles.Metrics } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        using var prometheus = Instance.CreateClient(token);
        using var scraped = await prometheus.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.StartsWith("text/plain", scraped.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await prometheus.GetAsync($"api/sites/{Site}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await prometheus.GetAsync("api/sites")).StatusCode);

        // A caller that presents credentials is judged by them, even from loopback.
        using var operatorClient = Instance.CreateClient(await app.TokenAsync(TwoSites.UserName(MesRoles.Operator, Site)));
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync("metrics")).StatusCode);
        using var siteAdmin = Instance.CreateClient(await app.TokenAsync(TwoSites.UserName(MesRoles.Admin, Site)));
        Assert.Equal(HttpStatusCode.Forbidden, (await siteAdmin.GetAsync("metrics")).StatusCode);
        using var unknown = Instance.CreateClient("mes_000000000000_nosuchsecret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknown.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("metrics")).StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_of_all_sites_issues_a_metrics_token()
    {
        using var siteAdmin = Instance.CreateClient(await app.TokenAsync(TwoSites.UserName(MesRoles.Admin, Site)));
        var refused = await siteAdmin.PostAsJsonAsync("api/tokens", new { name = "Prometheus", sites = new[] { Site }, roles = new[] { MesRoles.Metrics } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("$.roles[0]", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_orleans_dashboard_is_for_admins()
    {
        using var admin = Instance.CreateClient();
        using var page = await admin.GetAsync("orleans");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        using var supervisor = Instance.CreateClient(await app.TokenAsync(TwoSites.UserName(MesRoles.Supervisor, Site)));
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync("orleans")).StatusCode);

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Instance.BaseAddress };
        using var unsigned = await anonymous.GetAsync("orleans");
        Assert.Equal(HttpStatusCode.Redirect, unsigned.StatusCode);
        Assert.StartsWith("/signin", unsigned.Headers.Location?.AbsolutePath ?? unsigned.Headers.Location?.OriginalString);
    }
}
