using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
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

    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, string> _settings;
    private Process? _process;

    private MesProcess(string root, Dictionary<string, string> settings)
    {
        Root = root;
        _settings = settings;
    }

    /// <summary>The folder holding the plant file and the data folder; deleted at dispose.</summary>
    public string Root { get; }

    public int BrokerPort { get; } = FreePort.Next();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the process wrote so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

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
        if (_process is { HasExited: false })
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
        var start = new ProcessStartInfo("dotnet", [AppAssembly()])
        {
            WorkingDirectory = Path.GetDirectoryName(AppAssembly())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["Mes__Silo__SiloPort"] = FreePort.Next().ToString();
        start.Environment["Mes__Silo__GatewayPort"] = FreePort.Next().ToString();
        start.Environment["Mes__Mqtt__EmbeddedBroker__Port"] = BrokerPort.ToString();
        start.Environment["Mes__Auth__InitialAdmin__UserName"] = MesApp.AdminUserName;
        start.Environment["Mes__Auth__InitialAdmin__Password"] = MesApp.AdminPassword;
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                var output = Output;
                throw output.Contains("address already in use", StringComparison.OrdinalIgnoreCase) && !output.Contains($":{BrokerPort}", StringComparison.Ordinal)
                    ? new PortTakenException(output)
                    : new InvalidOperationException($"The app exited with code {process.ExitCode}:\n{output}");
            }

            try
            {
                if ((await http.GetAsync("health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/health did not answer 200 within {StartTimeout}:\n{Output}");
    }

    /// <summary>Kills the process as a crash would: SIGKILL, no shutdown, nothing flushed.</summary>
    public async Task CrashAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

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
        if (_process is { HasExited: false } process)
        {
            // SIGTERM: the host stops gracefully.
            Process.Start("kill", ["-TERM", process.Id.ToString()])?.WaitForExit();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing process only leaves a temporary folder behind.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // The app as its own project built it, in the configuration the tests were built in.
    private static string AppAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        for (var directory = testOutput; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MesOrleans.sln")))
            {
                var app = Path.Combine(directory.FullName, "WebFrontend", "bin", configuration, framework, "MesOrleans.WebFrontend.dll");
                return File.Exists(app) ? app : throw new FileNotFoundException("Build the WebFrontend project first.", app);
            }
        }

        throw new DirectoryNotFoundException($"No MesOrleans.sln above {testOutput.FullName}.");
    }

    private sealed class PortTakenException(string output) : Exception(output);
}
