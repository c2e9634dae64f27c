using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MesOrleans.Plant;
using MesOrleans.Silo.Migration;
using MesOrleans.Testing;
using Npgsql;

namespace MesOrleans.Cluster.Tests.Migration;

/// <summary>
/// <c>Silo migrate --from mes.db</c>: a standalone installation's record, copied into a cluster's PostgreSQL, is what a
/// cluster silo serves afterwards: the same machine state, the same events, the same OEE over a past window.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrateTests(PostgresFixture postgres)
{
    private const string Site = "plant1";
    private const string Line = "assembly";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly DateTimeOffset ShiftStart = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, Now.Minute, 0, TimeSpan.Zero).AddHours(-3);

    // Everything is recorded before this instant, so that the window up to it reads the same at any later time.
    private static readonly DateTimeOffset WindowEnd = Now.AddMinutes(-5);

    private static readonly PlantModel Plant = new(
        [
            new SiteModel(Site, "Plant 1", "Etc/UTC",
                [new ShiftModel("Day", ShiftStart.ToString("HH:mm"), ShiftStart.AddHours(8).ToString("HH:mm"), [])],
                [new LineModel(Line, "Assembly", [new MachineModel("press-3", "Press 3", 20), new MachineModel("welder-1", "Welder 1", 30)])]),
        ],
        [new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false)],
        [new ScrapReasonModel("S01", "Burr", "production-reject")]);

    private static readonly string[] Machines = ["press-3", "welder-1"];

    [SkippableFact]
    public async Task A_cluster_on_the_migrated_database_serves_the_standalone_state_events_and_oee()
    {
        var server = postgres.Require();
        var cluster = ClusterSettings.Create(await server.CreateMesDatabaseAsync("migrate"));
        string dataDirectory;
        Dictionary<string, JsonNode> before;
        await using (var standalone = MesApp.StartWith(Plant))
        {
            standalone.KeepData = true;
            dataDirectory = standalone.DataDirectory;
            await RecordAsync(standalone);
            before = await ReadAsync(standalone.CreateClient());
        }

        try
        {
            var database = Path.Combine(dataDirectory, "mes.db");
            var first = await MigrateAsync(database, cluster);
            Assert.True(first.Code == 0, first.Error);
            Assert.Matches(@"machine events: [1-9]\d* copied, 0 already there", first.Output);
            Assert.Matches(@"grain state: [1-9]\d* copied, 0 already there", first.Output);

            var again = await MigrateAsync(database, cluster);
            Assert.True(again.Code == 0, again.Error);
            Assert.Contains("nothing to copy: the migration is complete.", again.Output);

            // An interrupted run: the copy stopped after part of the log and before the grain state.
            var removed = await ForgetPartOfTheCopyAsync(cluster.ConnectionString);
            var resumed = await MigrateAsync(database, cluster);
            Assert.True(resumed.Code == 0, resumed.Error);
            Assert.Contains($"machine events: {removed.Events} copied", resumed.Output);
            Assert.Contains($"grain state: {removed.States} copied", resumed.Output);

            await using var silo = await StartSiloAsync(cluster);
            await using var web = MesApp.StartWith(Plant, new Dictionary<string, string?>
            {
                ["Mes:Mode"] = "Cluster",
                ["ConnectionStrings:Mes"] = cluster.ConnectionString,
                ["Mes:Cluster:ClusterId"] = cluster.ClusterId,
                ["Mes:Cluster:ServiceId"] = cluster.ClusterId,
            });
            var after = await ReadAsync(web.CreateClient());
            foreach (var (what, json) in before)
            {
                Assert.True(JsonNode.DeepEquals(json, after[what]), $"{what} differs:\nstandalone {json.ToJsonString()}\ncluster    {after[what].ToJsonString()}");
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_database_without_the_schema_is_refused_and_left_as_it_was()
    {
        var server = postgres.Require();
        var empty = ClusterSettings.Create(await server.CreateDatabaseAsync("migrate_empty"));
        var source = Path.Combine(Path.GetTempPath(), $"mes-{Guid.NewGuid():N}.db");

        var refused = await MigrateAsync(source, empty);

        Assert.Equal(MigrateCommand.Failed, refused.Code);
        Assert.Contains("Run 'Silo db init' first", refused.Error);
        Assert.False(File.Exists(source));
    }

    [Fact]
    public async Task Without_a_source_it_prints_its_usage()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await MigrateCommand.RunAsync(["migrate"], output, error);

        Assert.Equal(MigrateCommand.Usage, code);
        Assert.Contains("usage: Silo migrate --from", error.ToString());
    }

    // Telemetry through the embedded broker and commands from people, all at past instants inside the shift.
    private static async Task RecordAsync(MesApp app)
    {
        var t = WindowEnd;
        await using (var device = await ResendingDevice.ConnectAsync(app.BrokerPort))
        {
            await device.PublishAllAsync(
            [
                Telemetry("press-3", "state", new { ts = t.AddMinutes(-50), state = "running" }),
                Telemetry("press-3", "count", new { ts = t.AddMinutes(-50), total = 100, seq = 1 }),
                Telemetry("press-3", "count", new { ts = t.AddMinutes(-40), total = 130, seq = 2 }),
            ], window: 1);
        }

        var http = app.CreateClient();
        await PostAsync(http, "press-3", "downtime", new { reasonCode = "E12", @operator = "Anna", at = t.AddMinutes(-35) });
        await PostAsync(http, "press-3", "downtime/end", new { @operator = "Anna", at = t.AddMinutes(-30) });
        await PostAsync(http, "press-3", "scrap", new { quantity = 2, reasonCode = "S01", @operator = "Anna", at = t.AddMinutes(-25) });
        await PostAsync(http, "welder-1", "state", new { state = "running", at = t.AddMinutes(-45) });
        await PostAsync(http, "welder-1", "counts", new { good = 10, @operator = "Ben", at = t.AddMinutes(-40) });
        await PostAsync(http, "welder-1", "downtime", new { reasonCode = "E12", @operator = "Ben", at = t.AddMinutes(-15) });
        await using (var device = await ResendingDevice.ConnectAsync(app.BrokerPort))
        {
            await device.PublishAllAsync(
            [
                Telemetry("press-3", "count", new { ts = t.AddMinutes(-20), total = 145, seq = 3 }),
                Telemetry("press-3", "state", new { ts = t.AddMinutes(-12), state = "down", reason = "E12", seq = 4 }),
            ], window: 1);
        }

        // Telemetry is applied behind the broker's acknowledgement: wait until the machine shows the last message.
        var status = await Eventually.ReadAsync(
            () => http.GetFromJsonAsync<JsonElement>(MachineUrl("press-3")),
            s => s.GetProperty("state").GetString() == "down" && s.GetProperty("shiftOee").GetProperty("totalCount").GetInt64() == 45,
            TimeSpan.FromSeconds(30));
        Assert.Equal("down", status.GetProperty("state").GetString());
    }

    // What a person sees of each machine: its live state and stop, its counters, its events, and OEE over a past window.
    private static async Task<Dictionary<string, JsonNode>> ReadAsync(HttpClient http)
    {
        var read = new Dictionary<string, JsonNode>();
        var window = $"from={Uri.EscapeDataString(ShiftStart.ToString("O"))}&to={Uri.EscapeDataString(WindowEnd.ToString("O"))}";
        foreach (var machine in Machines)
        {
            var status = (await Eventually.ReadAsync(
                async () => await http.GetAsync(MachineUrl(machine)), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(60))).EnsureSuccessStatusCode();
            var live = JsonNode.Parse(await status.Content.ReadAsStringAsync())!;
            var shift = live["shiftOee"]!;
            read[$"{machine} live"] = new JsonObject
            {
                ["state"] = live["state"]?.DeepClone(),
                ["since"] = live["since"]?.DeepClone(),
                ["openStop"] = live["openStop"]?.DeepClone(),
                ["countsItself"] = live["countsItself"]?.DeepClone(),
                ["totalCount"] = shift["totalCount"]?.DeepClone(),
                ["scrapCount"] = shift["scrapCount"]?.DeepClone(),
            };
            read[$"{machine} events"] = JsonNode.Parse(await http.GetStringAsync($"{MachineUrl(machine)}/events?count=100"))!;
            read[$"{machine} oee"] = JsonNode.Parse(await http.GetStringAsync($"{MachineUrl(machine)}/oee?{window}"))!;
        }

        read["line oee"] = JsonNode.Parse(await http.GetStringAsync($"/api/sites/{Site}/lines/{Line}/oee?{window}"))!;
        return read;
    }

    private static async Task<(int Code, string Output, string Error)> MigrateAsync(string database, ClusterSettings cluster)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await MigrateCommand.RunAsync(
            [
                "migrate", "--from", database,
                $"--ConnectionStrings:Mes={cluster.ConnectionString}",
                $"--Mes:Cluster:ClusterId={cluster.ClusterId}",
                $"--Mes:Cluster:ServiceId={cluster.ClusterId}",
            ],
            output,
            error);
        return (code, output.ToString(), error.ToString());
    }

    // What an interruption leaves: the later half of the log and no grain state copied yet.
    private static async Task<(long Events, long States)> ForgetPartOfTheCopyAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync("ALTER TABLE mes_machine_event DISABLE TRIGGER USER");
        var events = await ExecuteAsync("DELETE FROM mes_machine_event WHERE seq > (SELECT min(seq) + (max(seq) - min(seq)) / 2 FROM mes_machine_event)");
        await ExecuteAsync("ALTER TABLE mes_machine_event ENABLE TRIGGER USER");
        var states = await ExecuteAsync("DELETE FROM orleans_grain_state");
        Assert.True(events > 0 && states > 0, $"{events} events and {states} grain states were removed");
        return (events, states);

        async Task<long> ExecuteAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<AppProcess> StartSiloAsync(ClusterSettings cluster)
    {
        var health = FreePort.Next();
        var silo = new AppProcess("Silo", "MesOrleans.Silo.dll", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urls"] = $"http://127.0.0.1:{health}",
            ["Mes__Mode"] = "Cluster",
            ["ConnectionStrings__Mes"] = cluster.ConnectionString,
            ["Mes__Cluster__ClusterId"] = cluster.ClusterId,
            ["Mes__Cluster__ServiceId"] = cluster.ClusterId,
            ["Mes__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Mes__Silo__SiloPort"] = FreePort.Next().ToString(),
            ["Mes__Silo__GatewayPort"] = FreePort.Next().ToString(),
        });
        await silo.StartAsync(new Uri($"http://127.0.0.1:{health}/health/ready"));
        return silo;
    }

    private static (string, string) Telemetry(string machine, string signal, object payload) =>
        ($"mes/{Site}/{Line}/{machine}/{signal}", JsonSerializer.Serialize(payload));

    private static async Task PostAsync(HttpClient http, string machine, string path, object body)
    {
        var response = await http.PostAsJsonAsync($"{MachineUrl(machine)}/{path}", body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string MachineUrl(string machine) => $"/api/sites/{Site}/lines/{Line}/machines/{machine}";
}
