using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MesOrleans.Testing;

namespace MesOrleans.Tests.Mqtt;

/// <summary>
/// A real Mosquitto broker on a free loopback port, configured from the project's deploy/mosquitto/mosquitto.conf
/// (persistence on, queue limits raised) with anonymous access and a temporary data folder for the test.
/// </summary>
public sealed class Mosquitto : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/mosquitto";

    private readonly Process _process;
    private readonly string _directory;

    private Mosquitto(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

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
            .Append(Environment.UserName == "root" ? "user root" : "");
        var configPath = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllLinesAsync(configPath, config);

        var process = Process.Start(new ProcessStartInfo(Binary, ["-c", configPath])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("Mosquitto did not start.");
        var broker = new Mosquitto(process, directory, port);
        await broker.WaitUntilListeningAsync();
        return broker;
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

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("Mosquitto exited: " + await _process.StandardError.ReadToEndAsync());
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
