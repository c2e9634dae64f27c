using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Plant;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>
/// The clients plants use, with their defaults, against the running app's embedded broker: mosquitto_pub (no client
/// id, MQTT 3.1.1 and 5, QoS 0, 1 and 2) and Paho for Python; the telemetry must reach the machines.
/// </summary>
public sealed class StandardClientTests(StandardClientTests.App app) : IClassFixture<StandardClientTests.App>
{
    [SkippableTheory]
    [InlineData("mqttv311", "0")]
    [InlineData("mqttv311", "1")]
    [InlineData("mqttv311", "2")]
    [InlineData("5", "0")]
    [InlineData("5", "1")]
    [InlineData("5", "2")]
    public async Task Mosquitto_pub_with_its_defaults_delivers_states_and_counts(string version, string qos)
    {
        RequiredComponent.SkipOrFailIfMissing(StandardClients.MosquittoClientsMissing);
        var machine = $"pub-{version}-q{qos}";
        string[] common = ["-h", "127.0.0.1", "-p", app.Broker.BrokerPort.ToString(), "-V", version, "-q", qos];

        await Succeeds(StandardClients.MosquittoPubAsync([.. common, "-t", Topic(machine, "state"), "-m", State(1, "running")]));
        await app.WaitForAsync(machine, s => s.GetProperty("state").GetString() == "running");
        // Both counts through one connection (-l: a message per line), so that they arrive in order even at QoS 0.
        await Succeeds(StandardClients.MosquittoPubAsync([.. common, "-t", Topic(machine, "count"), "-l"], Count(2, 100) + "\n" + Count(3, 130) + "\n"));
        var status = await app.WaitForAsync(machine, s => TotalCount(s) == 30);

        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.Equal(30, TotalCount(status));
    }

    [SkippableTheory]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Paho_with_an_empty_client_id_delivers_states_and_counts(string version)
    {
        RequiredComponent.SkipOrFailIfMissing(StandardClients.PahoMissing);
        var machine = $"paho-{version}";
        var port = app.Broker.BrokerPort.ToString();

        await Succeeds(StandardClients.PahoAsync(port, version, "publish", Topic(machine, "state"), State(1, "down", "E12"), "1"));
        await Succeeds(StandardClients.PahoAsync(port, version, "publish", Topic(machine, "count"), Count(2, 500), "1"));
        await Succeeds(StandardClients.PahoAsync(port, version, "publish", Topic(machine, "count"), Count(3, 512), "2"));
        var status = await app.WaitForAsync(machine, s => TotalCount(s) == 12);

        Assert.Equal("down", status.GetProperty("state").GetString());
        Assert.Equal("E12", status.GetProperty("openStop").GetProperty("reasonCode").GetString());
        Assert.Equal(12, TotalCount(status));
    }

    [SkippableTheory]
    [InlineData("311")]
    [InlineData("5")]
    public async Task A_persistent_session_keeps_its_subscription_and_gets_what_was_published_while_it_was_away(string version)
    {
        RequiredComponent.SkipOrFailIfMissing(StandardClients.PahoMissing);
        RequiredComponent.SkipOrFailIfMissing(StandardClients.MosquittoClientsMissing);
        var port = app.Broker.BrokerPort.ToString();
        var clientId = $"scada-{version}-{Guid.NewGuid():N}";
        var topic = $"scada/{clientId}/notes";

        await Succeeds(StandardClients.PahoAsync(port, version, "subscribe", clientId, topic));
        await Succeeds(StandardClients.MosquittoPubAsync(["-h", "127.0.0.1", "-p", port, "-q", "1", "-t", topic, "-m", "shift handover at 14:00"]));
        var received = await StandardClients.PahoAsync(port, version, "receive", clientId, "10");

        Assert.True(received.ExitCode == 0, received.ToString());
        Assert.Equal("shift handover at 14:00", received.Output);
    }

    private static async Task Succeeds(Task<ClientRun> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static long TotalCount(JsonElement status) => status.GetProperty("shiftOee").GetProperty("totalCount").GetInt64();

    private static string Topic(string machine, string signal) => $"mes/{Site}/{Line}/{machine}/{signal}";

    private static string State(int minute, string state, string? reason = null) => reason is null
        ? $$"""{"ts":"{{ShiftStart.AddMinutes(minute):O}}","state":"{{state}}"}"""
        : $$"""{"ts":"{{ShiftStart.AddMinutes(minute):O}}","state":"{{state}}","reason":"{{reason}}"}""";

    private static string Count(int minute, long total) => $$"""{"ts":"{{ShiftStart.AddMinutes(minute):O}}","total":{{total}}}""";

    /// <summary>The app, shared by the tests of this class; each test has machines of its own.</summary>
    public sealed class App : IAsyncLifetime
    {
        private static readonly string[] Machines =
            ["pub-mqttv311-q0", "pub-mqttv311-q1", "pub-mqttv311-q2", "pub-5-q0", "pub-5-q1", "pub-5-q2", "paho-311", "paho-5"];

        public MesApp Broker { get; private set; } = null!;

        public HttpClient Http { get; private set; } = null!;

        public Task InitializeAsync()
        {
            var site = Model.Sites[0];
            var line = site.Lines[0];
            var machines = Machines.Select(m => new MachineModel(m, m, 20)).ToList();
            Broker = MesApp.StartWith(Model with { Sites = [site with { Lines = [line with { Machines = machines }] }] });
            Http = Broker.CreateClient();
            return Task.CompletedTask;
        }

        public Task<JsonElement> WaitForAsync(string machine, Func<JsonElement, bool> done) =>
            Eventually.ReadAsync(() => Http.GetFromJsonAsync<JsonElement>(MachineUrl(machine)), done);

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Broker.DisposeAsync();
        }
    }
}
