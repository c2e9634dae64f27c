using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using static MesOrleans.WebFrontend.Tests.Infrastructure.TwoSitePlant;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>Device accounts: the REST endpoints, and the embedded broker's sign-in and topic rules that follow from them.</summary>
public sealed class DeviceAccountTests : IAsyncLifetime
{
    private MesApp _app = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _app = MesApp.StartWith(TwoSitePlant.Model);
        _http = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task The_api_validates_shows_the_secret_once_and_deletes()
    {
        var badName = await _http.PostAsJsonAsync("/api/device-accounts", new { name = "press 1/a", site = Site });
        var unknownSite = await _http.PostAsJsonAsync("/api/device-accounts", new { name = "press-gw", site = "nowhere" });
        var created = await _http.PostAsJsonAsync("/api/device-accounts", new { name = "press-gw", site = Site });
        var again = await _http.PostAsJsonAsync("/api/device-accounts", new { name = "press-gw", site = OtherSite });
        var listed = await _http.GetFromJsonAsync<JsonElement>("/api/device-accounts");

        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.True((await badName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("$.name", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknownSite.StatusCode);
        Assert.True((await unknownSite.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("$.site", out _));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/device-accounts/press-gw", created.Headers.Location?.OriginalString);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Site, body.GetProperty("site").GetString());
        Assert.Equal(43, body.GetProperty("secret").GetString()!.Length);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var account = Assert.Single(listed.EnumerateArray());
        Assert.Equal("press-gw", account.GetProperty("name").GetString());
        Assert.False(account.TryGetProperty("secret", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("/api/device-accounts/press-gw")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync("/api/device-accounts/press-gw")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/device-accounts/press-gw")).StatusCode);
    }

    [Fact]
    public async Task Once_an_account_exists_anonymous_clients_and_wrong_secrets_are_refused()
    {
        using (var early = await ConnectAsync(userName: null, password: null))
        {
            Assert.True(early.IsConnected);
        }

        var secret = await CreateAccountAsync("gw-a", Site);

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, (await TryConnectAsync(null, null)).ResultCode);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, (await TryConnectAsync("gw-a", secret + "x")).ResultCode);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, (await TryConnectAsync("gw-unknown", secret)).ResultCode);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, (await TryConnectAsync("gw-a", secret + "x", MqttProtocolVersion.V311)).ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, (await TryConnectAsync("gw-a", secret, MqttProtocolVersion.V311)).ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, (await TryConnectAsync("gw-a", secret)).ResultCode);
    }

    [Fact]
    public async Task A_site_account_publishes_its_own_sites_telemetry_and_nothing_of_another_site_is_ingested()
    {
        var secret = await CreateAccountAsync("gw-a", Site);
        using var device5 = await ConnectAsync("gw-a", secret);
        using var device311 = await ConnectAsync("gw-a", secret, MqttProtocolVersion.V311);
        var before = await Received();

        var foreign5 = await device5.PublishAsync(Message(Topic(OtherSite, Press, "state"), State("down")));
        var foreign311 = await device311.PublishAsync(Message(Topic(OtherSite, Press, "state"), State("down")));
        var own = await device5.PublishAsync(Message(Topic(Site, Press, "state"), State("down")));
        var status = await Eventually.ReadAsync(() => _http.GetFromJsonAsync<JsonElement>(WebPlant.MachineUrl(Press)), s => s.GetProperty("state").GetString() == "down");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, foreign5.ReasonCode);
        Assert.True(foreign311.IsSuccess, "MQTT 3.1.1 has no way to refuse a publish: the broker acknowledges and drops it");
        Assert.True(own.IsSuccess);
        Assert.Equal("down", status.GetProperty("state").GetString());
        Assert.NotEqual("down", (await _http.GetFromJsonAsync<JsonElement>(TwoSitePlant.MachineUrl(OtherSite, Press))).GetProperty("state").GetString());
        Assert.Equal(before + 1, await Received());
    }

    [Fact]
    public async Task A_site_account_may_not_subscribe_to_another_sites_telemetry()
    {
        var secret = await CreateAccountAsync("scada-a", Site);
        using var client = await ConnectAsync("scada-a", secret);

        var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"mes/{Site}/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"mes/{OtherSite}/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("mes/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"$share/scada/mes/{OtherSite}/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("scada/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        var codes = result.Items.ToDictionary(i => i.TopicFilter.Topic, i => i.ResultCode);

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, codes[$"mes/{Site}/#"]);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[$"mes/{OtherSite}/#"]);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes["mes/#"]);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[$"$share/scada/mes/{OtherSite}/#"]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, codes["scada/#"]);
    }

    [Fact]
    public async Task Deleting_an_account_disconnects_its_devices()
    {
        var secret = await CreateAccountAsync("gw-gone", Site);
        using var device = await ConnectAsync("gw-gone", secret);

        await _http.DeleteAsync("/api/device-accounts/gw-gone");
        var connected = await Eventually.ReadAsync(() => Task.FromResult(device.IsConnected), c => !c);

        Assert.False(connected);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, (await TryConnectAsync("gw-gone", secret)).ResultCode);
    }

    private async Task<string> CreateAccountAsync(string name, string site)
    {
        var response = await _http.PostAsJsonAsync("/api/device-accounts", new { name, site });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    // The silo's own counter, exact at once (the API's figures are the silos' reports, about a second old).
    private Task<long> Received() =>
        Task.FromResult(_app.Services.GetRequiredService<MesOrleans.Telemetry.TelemetryStats>().Snapshot().Received);

    private async Task<IMqttClient> ConnectAsync(string? userName, string? password, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(userName, password, version));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private async Task<MqttClientConnectResult> TryConnectAsync(string? userName, string? password, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        return await client.ConnectAsync(Options(userName, password, version));
    }

    private MqttClientOptions Options(string? userName, string? password, MqttProtocolVersion version)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _app.BrokerPort)
            .WithProtocolVersion(version)
            .WithClientId("test-" + Guid.NewGuid().ToString("N"));
        return (userName is null ? options : options.WithCredentials(userName, password)).Build();
    }

    private static MqttApplicationMessage Message(string topic, string payload) => new MqttApplicationMessageBuilder()
        .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    private static string State(string state) => $$"""{"ts":"{{ShiftStart.AddMinutes(5):O}}","state":"{{state}}","reason":"E12"}""";
}
