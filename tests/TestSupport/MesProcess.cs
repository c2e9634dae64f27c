using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Plant;

namespace MesOrleans.Testing;

/// <summary>
/// The whole MES as its own operating-system process (the WebFrontend build output, Production environment), so that
/// a test can kill it the way a crash does (SIGKILL: no shutdown code runs) and start it again on the same data
/// folder and broker port. Its output is kept for the failure message.
/// </summary>
public sealed class MesProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly AppProcess _app;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private MesProcess(string root, Dictionary<string, string> settings)
    {
        Root = root;
        _settings = settings;
        _app = new AppProcess("WebFrontend", "MesOrleans.WebFrontend.dll", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Mes__Auth__InitialAdmin__UserName"] = MesApp.AdminUserName,
            ["Mes__Auth__InitialAdmin__Password"] = MesApp.AdminPassword,
        });
    }

    /// <summary>The folder holding the plant file and the data folder; deleted at dispose.</summary>
    public string Root { get; }

    public int BrokerPort { get; } = FreePort.Next();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the process wrote so far (stdout and stderr).</summary>
    public string Output => _app.Output;

    /// <summary>Starts the app on a new data folder with <paramref name="plant"/> as its plant model file.</summary>
    public static async Task<MesProcess> StartAsync(PlantModel plant, IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = Directory.CreateTempSubdirectory("mes-process-").FullName;
        var plantFile = Path.Combine(root, "plant.json");
        await File.WriteAllTextAsync(plantFile, PlantModelJson.Write(plant));
        var app = new MesProcess(root, new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Mes__DataDirectory"] = Path.Combine(root, "data"),
            ["Mes__PlantModelPath"] = plantFile,
        });
        await app.StartAgainAsync();
        return app;
    }

    /// <summary>Starts the app (again) on the same data folder and broker port; web and silo ports are new each time.</summary>
    public async Task StartAgainAsync()
    {
        if (!_app.HasExited)
        {
            throw new InvalidOperationException("The app is still running.");
        }

        // A free port can be taken by another program between choosing it and binding it: choose again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnNewPortsAsync();
                return;
            }
            catch (PortTakenException) when (attempt < 3)
            {
            }
        }
    }

    private async Task StartOnNewPortsAsync()
    {
        var webPort = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{webPort}/");
        var environment = _app.Environment;
        environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        environment["Mes__Silo__SiloPort"] = FreePort.Next().ToString();
        environment["Mes__Silo__GatewayPort"] = FreePort.Next().ToString();
        environment["Mes__Mqtt__EmbeddedBroker__Port"] = BrokerPort.ToString();
        foreach (var (key, value) in _settings)
        {
            environment[key] = value;
        }

        try
        {
            await _app.StartAsync(new Uri(BaseAddress, "health"), StartTimeout);
        }
        catch (AppExitedException exited)
            when (exited.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) && !exited.Message.Contains($":{BrokerPort}", StringComparison.Ordinal))
        {
            throw new PortTakenException(exited.Message);
        }
    }

    /// <summary>Kills the process as a crash would: SIGKILL, no shutdown, nothing flushed.</summary>
    public Task CrashAsync() => _app.KillAsync();

    /// <summary>A client signed in as the app's initial admin (<see cref="MesApp.AdminUserName"/>), as a script would be.</summary>
    public async Task<HttpClient> CreateClientAsync()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var login = await client.PostAsJsonAsync("api/auth/login", new { userName = MesApp.AdminUserName, password = MesApp.AdminPassword });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM: the host stops gracefully.
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing process only leaves a temporary folder behind.
        }
    }

    private sealed class PortTakenException(string output) : Exception(output);
}
