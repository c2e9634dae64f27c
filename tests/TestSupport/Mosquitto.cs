using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MesOrleans.Testing;

/// <summary>
/// A real Mosquitto broker on a free loopback port, configured from the project's deploy/mosquitto/mosquitto.conf
/// (persistence on, queue limits raised) with anonymous access and a temporary data folder for the test. It can be
/// restarted on the same port and data, as an admin restarts a broker.
/// </summary>
public sealed class Mosquitto : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/mosquitto";

    private readonly string _directory;
    private readonly string _configPath;
    private Process _process;

    private Mosquitto(string directory, string configPath, int port)
    {
        _directory = directory;
        _configPath = configPath;
        Port = port;
        _process = Start(configPath);
    }

    public int Port { get; }

    /// <summary>The broker's process id (changes with each restart).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Why Mosquitto cannot run here, or null when it can.</summary>
    public static string? Missing => File.Exists(Binary) ? null : $"Mosquitto is not installed ({Binary}; Debian package 'mosquitto')";

    public static async Task<Mosquitto> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("mes-mosquitto-").FullName;
        var port = FreePort.Next();
        var shipped = await File.ReadAllLinesAsync(Repository.PathOf("deploy", "mosquitto", "mosquitto.conf"));
        var config = shipped
            .Where(line => !line.StartsWith("password_file", StringComparison.Ordinal))
            .Select(line => line switch
            {
                "listener 1883" => $"listener {port} 127.0.0.1",
                "allow_anonymous false" => "allow_anonymous true",
                _ when line.StartsWith("persistence_location", StringComparison.Ordinal) => $"persistence_location {directory}/",
                _ => line,
            })
            .Append($"log_dest file {directory}/mosquitto.log")
            .Append(Environment.UserName == "root" ? "user root" : "");
        var configPath = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllLinesAsync(configPath, config);

        var broker = new Mosquitto(directory, configPath, port);
        await broker.WaitUntilListeningAsync();
        return broker;
    }

    /// <summary>Stops the broker as a service manager does (SIGTERM): it saves its sessions and queued messages.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the broker again on the same port, configuration and persistence file.</summary>
    public async Task StartAgainAsync()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException("Mosquitto is still running.");
        }

        _process.Dispose();
        _process = Start(_configPath);
        await WaitUntilListeningAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>What the broker logged so far (connections, sessions taken over, errors).</summary>
    public string Log
    {
        get
        {
            var path = Path.Combine(_directory, "mosquitto.log");
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
    }

    // Its log goes to a file: a pipe nobody reads would stop the broker once full.
    private static Process Start(string configPath) =>
        Process.Start(new ProcessStartInfo(Binary, ["-c", configPath])) ?? throw new InvalidOperationException("Mosquitto did not start.");

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("Mosquitto exited: " + Log);
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Mosquitto did not listen on port {Port}.");
    }
}
