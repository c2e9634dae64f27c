using System.Diagnostics;

namespace MesOrleans.WebFrontend.Tests.Infrastructure;

/// <summary>
/// The MQTT clients plants use, run as their own processes: Mosquitto's command-line clients and Eclipse Paho for
/// Python (Debian packages mosquitto-clients and python3-paho-mqtt).
/// </summary>
public static class StandardClients
{
    public const string MosquittoPub = "/usr/bin/mosquitto_pub";
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> PahoInstalled = new(() =>
        File.Exists(Python) && RunAsync(Python, ["-c", "import paho.mqtt.client"]).GetAwaiter().GetResult().ExitCode == 0);

    /// <summary>Why mosquitto_pub cannot run here, or null when it can.</summary>
    public static string? MosquittoClientsMissing =>
        File.Exists(MosquittoPub) ? null : $"mosquitto_pub is not installed ({MosquittoPub}; Debian package 'mosquitto-clients')";

    /// <summary>Why Paho for Python cannot run here, or null when it can.</summary>
    public static string? PahoMissing =>
        PahoInstalled.Value ? null : $"Paho for Python is not installed ({Python} -c 'import paho.mqtt.client'; Debian package 'python3-paho-mqtt')";

    /// <summary>Runs mosquitto_pub with its defaults (no client id) plus these arguments; <paramref name="lines"/> go to its standard input (for -l).</summary>
    public static Task<ClientRun> MosquittoPubAsync(string[] arguments, string? lines = null) => RunAsync(MosquittoPub, arguments, lines);

    /// <summary>Runs the Paho test client (Clients/paho_client.py; its docstring lists the modes).</summary>
    public static Task<ClientRun> PahoAsync(params string[] arguments) =>
        RunAsync(Python, [Path.Combine(AppContext.BaseDirectory, "Clients", "paho_client.py"), .. arguments]);

    public static Task<ClientRun> RunAsync(string program, IEnumerable<string> arguments, string? input = null) =>
        RunAsync(new ProcessStartInfo(program, arguments), input);

    /// <summary>Runs a process to its end (at most a minute) and returns what it wrote.</summary>
    public static async Task<ClientRun> RunAsync(ProcessStartInfo start, string? input = null)
    {
        start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within a minute.");
        }

        return new ClientRun(process.ExitCode, (await output).Trim(), (await error).Trim());
    }
}

/// <summary>How a client process ended and what it wrote.</summary>
public sealed record ClientRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}; output: {Output}; errors: {Error}";
}
