using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Testing;
using Xunit.Abstractions;

namespace MesOrleans.Cluster.Tests.Deploy;

/// <summary>
/// <c>deploy/local-cluster.sh</c> as an admin uses it: up gives a working cluster whose web app shows the live plant
/// of the simulator, a silo killed by its pid leaves the plant running, and down stops every process it started and
/// removes its folder.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LocalClusterScriptTests(ITestOutputHelper output)
{
    private const string AdminName = "script-admin";
    private const string AdminPassword = "Script-admin-1!";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task Up_shows_the_live_plant_survives_a_killed_silo_and_down_leaves_nothing_behind()
    {
        RequiredComponent.SkipOrFailIfMissing(PostgresServer.Missing ?? Mosquitto.Missing);
        var folder = Path.Combine(Path.GetTempPath(), $"mes-local-cluster-{Guid.NewGuid():N}");
        try
        {
            var up = await RunAsync(folder, "up", "--silos", "2", "--no-build", "--configuration", AppProcess.BuildConfiguration);
            Assert.True(up.Code == 0, up.Text);
            var statusRun = await RunAsync(folder, "status");
            Assert.Equal(0, statusRun.Code);
            var line = Assert.Single(statusRun.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var status = JsonDocument.Parse(line).RootElement;
            output.WriteLine(line);

            var web = new Uri(status.GetProperty("web").GetString()!);
            Assert.Equal("127.0.0.1", status.GetProperty("mqtt").GetProperty("host").GetString());
            var mqttPort = status.GetProperty("mqtt").GetProperty("port").GetInt32();
            Assert.Contains("Host=127.0.0.1", status.GetProperty("postgres").GetString());
            var silos = status.GetProperty("silos").EnumerateArray().ToList();
            Assert.Equal(["silo-1", "silo-2"], silos.Select(s => s.GetProperty("name").GetString()));
            var pids = status.GetProperty("pids").EnumerateArray().Select(p => p.GetInt32()).ToList();
            foreach (var silo in silos)
            {
                // The pid is the silo itself, not a wrapper: killing it kills the silo.
                var pid = silo.GetProperty("pid").GetInt32();
                Assert.Contains(pid, pids);
                Assert.Contains("MesOrleans.Silo.dll", await File.ReadAllTextAsync($"/proc/{pid}/cmdline"));
                using var health = new HttpClient();
                Assert.True((await health.GetAsync(silo.GetProperty("health").GetString() + "/ready")).IsSuccessStatusCode);
            }

            // The initial admin of the caller's environment reached the web app.
            using var http = await SignInAsync(web);
            var machines = await Eventually.ReadAsync(() => MachinesAsync(http), m => m.Count > 0 && m.All(x => x.State is not null), Patience);
            Assert.True(machines.Count > 0 && machines.All(m => m.State is not null), $"machines without a state from the simulator: {string.Join(", ", machines.Where(m => m.State is null).Select(m => m.Path))}");

            Process.GetProcessById(silos[0].GetProperty("pid").GetInt32()).Kill();

            // Telemetry is still applied: states of each machine, sent after the kill, reach its event log. Two different
            // states, as a machine that repeats its state records nothing.
            var at = DateTimeOffset.UtcNow.AddSeconds(-1);
            var sent = machines.Select((m, i) => (m.Path, At: at.AddMilliseconds(-10 * i))).ToList();
            await using (var device = await ResendingDevice.ConnectAsync(mqttPort))
            {
                await device.PublishAllAsync(
                    [.. sent.SelectMany(s => new[]
                    {
                        ($"mes/{s.Path}/state", JsonSerializer.Serialize(new { ts = s.At.AddMilliseconds(-1), state = "changeover" })),
                        ($"mes/{s.Path}/state", JsonSerializer.Serialize(new { ts = s.At, state = "down", reason = "E12" })),
                    })],
                    window: 1);
            }

            var clock = Stopwatch.StartNew();
            var applied = await Eventually.ReadAsync(() => AppliedAsync(http, sent), n => n == sent.Count, Patience);
            output.WriteLine($"after kill -9 of silo-1, {applied} of {sent.Count} machines' messages applied within {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Equal(sent.Count, applied);

            var down = await RunAsync(folder, "down");
            Assert.True(down.Code == 0, down.Text);
            foreach (var pid in pids)
            {
                Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still running after down");
            }

            Assert.False(Directory.Exists(folder), $"{folder} is still there after down");
        }
        finally
        {
            if (File.Exists(Path.Combine(folder, "state.env")))
            {
                await RunAsync(folder, "down");
            }
        }
    }

    [Fact]
    public void Every_setting_the_script_gives_the_apps_exists_in_their_options()
    {
        var settings = File.ReadAllLines(Repository.PathOf("deploy", "local-cluster.sh"))
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^\s*setting (\S+) "))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();

        Assert.Contains("Mes__Auth__InitialAdmin__Password", settings);
        Assert.Contains("Mes__Cluster__SiloName", settings);
        Assert.Empty(settings.Select(key => KnownSettings.Problem(key, null)).OfType<string>());
    }

    private static async Task<HttpClient> SignInAsync(Uri web)
    {
        var http = new HttpClient { BaseAddress = web, Timeout = TimeSpan.FromSeconds(30) };
        var login = await http.PostAsJsonAsync("api/auth/login", new { userName = AdminName, password = AdminPassword });
        Assert.True(login.IsSuccessStatusCode, $"sign-in: {(int)login.StatusCode}");
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    // Every machine of every site by its path (site/line/machine), with its live state (null when it reported none yet).
    private static async Task<List<(string Path, string? State)>> MachinesAsync(HttpClient http)
    {
        var machines = new List<(string, string?)>();
        try
        {
            foreach (var site in (await http.GetFromJsonAsync<JsonElement>("api/sites")).EnumerateArray())
            {
                var live = await http.GetFromJsonAsync<JsonElement>($"api/sites/{site.GetProperty("id").GetString()}");
                foreach (var machine in live.GetProperty("lines").EnumerateArray().SelectMany(l => l.GetProperty("machines").EnumerateArray()))
                {
                    var state = machine.GetProperty("state");
                    machines.Add((machine.GetProperty("id").GetString()!, state.ValueKind == JsonValueKind.Null ? null : state.GetString()));
                }
            }
        }
        catch (HttpRequestException)
        {
            return [];
        }

        return machines;
    }

    // How many machines' sent states are in their event log. A read that times out counts as not yet applied: until the
    // cluster declares the killed silo dead, a call to a grain that lived there waits for Orleans' response timeout.
    private static async Task<int> AppliedAsync(HttpClient http, List<(string Path, DateTimeOffset At)> sent)
    {
        var applied = 0;
        foreach (var (path, at) in sent)
        {
            var parts = path.Split('/');
            try
            {
                var response = await http.GetAsync($"api/sites/{parts[0]}/lines/{parts[1]}/machines/{parts[2]}/events?count=100");
                if (response.IsSuccessStatusCode)
                {
                    var events = await response.Content.ReadFromJsonAsync<JsonElement>();
                    applied += events.EnumerateArray().Any(e => e.GetProperty("timestamp").GetDateTimeOffset() is var t && (t == at || t == at.AddMilliseconds(-1))) ? 1 : 0;
                }
            }
            catch (Exception failingOver) when (failingOver is HttpRequestException or TaskCanceledException)
            {
            }
        }

        return applied;
    }

    private static async Task<(int Code, string Output, string Text)> RunAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Repository.PathOf("deploy", "local-cluster.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MES_LOCAL_CLUSTER_DIR"] = folder;
        start.Environment["Mes__Auth__InitialAdmin__UserName"] = AdminName;
        start.Environment["Mes__Auth__InitialAdmin__Password"] = AdminPassword;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = $"{string.Join(' ', arguments)} exited with {process.ExitCode}\n{await stdout}\n{await stderr}";
        return (process.ExitCode, await stdout, text);
    }
}
