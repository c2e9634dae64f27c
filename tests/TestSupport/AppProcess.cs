using System.Diagnostics;
using System.Text;

namespace MesOrleans.Testing;

/// <summary>
/// One of the solution's apps (WebFrontend, Silo) as its own operating-system process, run from the build output of
/// its project in the configuration the tests were built in, so that a test can stop it as a service manager does
/// (SIGTERM), kill it as a crash does (SIGKILL: no shutdown code runs), freeze it (SIGSTOP) and start it again with
/// the same settings. Its output is kept for failure messages.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(30);

    private readonly string _assembly;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="project">The project folder, e.g. <c>Silo</c>.</param>
    /// <param name="assembly">Its assembly, e.g. <c>MesOrleans.Silo.dll</c>.</param>
    /// <param name="environment">Environment variables on top of this process's own (settings such as <c>Mes__Mode</c>).</param>
    /// <param name="arguments">Command-line arguments after the assembly.</param>
    public AppProcess(string project, string assembly, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? arguments = null)
    {
        _assembly = BuildOutput(project, assembly);
        Environment = new Dictionary<string, string>(environment);
        Arguments = arguments ?? [];
    }

    /// <summary>The settings the next start uses; change them between starts.</summary>
    public Dictionary<string, string> Environment { get; }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The running process's id.</summary>
    public int Id => _process?.Id ?? throw new InvalidOperationException("Not started.");

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>What the process wrote so far (stdout and stderr), across starts.</summary>
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

    /// <summary>
    /// Starts the process (again) and, when <paramref name="health"/> is given, waits until that address answers 200.
    /// Throws with the output when the process exits first or does not answer within <paramref name="timeout"/>.
    /// </summary>
    public async Task StartAsync(Uri? health = null, TimeSpan? timeout = null)
    {
        if (!HasExited)
        {
            throw new InvalidOperationException("The app is still running.");
        }

        _process?.Dispose();
        var start = new ProcessStartInfo("dotnet", [_assembly, .. Arguments])
        {
            WorkingDirectory = Path.GetDirectoryName(_assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        if (health is not null)
        {
            await WaitUntilAnsweringAsync(health, timeout ?? TimeSpan.FromSeconds(90));
        }
    }

    /// <summary>Waits until <paramref name="address"/> answers 200; throws with the output when the process exits first.</summary>
    public async Task WaitUntilAnsweringAsync(Uri address, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is not { } process || process.HasExited)
            {
                throw new AppExitedException($"{Path.GetFileName(_assembly)} exited with code {_process?.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync(address)).IsSuccessStatusCode)
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

        throw new TimeoutException($"{address} did not answer 200 within {timeout}:\n{Output}");
    }

    /// <summary>Kills the process as a crash would: SIGKILL, no shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Stops the process as a service manager does: SIGTERM, then SIGKILL if it has not ended after 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signal("TERM");
            using var patience = new CancellationTokenSource(StopPatience);
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
    }

    /// <summary>Freezes the process (SIGSTOP): it holds its connections and answers nothing, as a hung server does.</summary>
    public void Freeze() => Signal("STOP");

    public ValueTask DisposeAsync() => new(DisposeCoreAsync());

    private async Task DisposeCoreAsync()
    {
        if (_process is { HasExited: false })
        {
            // A frozen process does not act on SIGTERM until it runs again.
            Signal("CONT");
            await StopAsync();
        }

        _process?.Dispose();
    }

    private void Signal(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()]);
            kill?.WaitForExit();
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

    /// <summary>The configuration the tests were built in (Release or Debug): the apps' build output is beside theirs.</summary>
    public static string BuildConfiguration => TestOutput.Parent!.Name;

    private static DirectoryInfo TestOutput => new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The app as its own project built it, in the configuration the tests were built in.</summary>
    public static string BuildOutput(string project, string assembly)
    {
        var app = Repository.PathOf(project, "bin", BuildConfiguration, TestOutput.Name, assembly);
        return File.Exists(app) ? app : throw new FileNotFoundException($"Build the {project} project first.", app);
    }
}

/// <summary>The app ended before it answered; the message carries its output.</summary>
public sealed class AppExitedException(string message) : Exception(message);
