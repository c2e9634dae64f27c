using System.Globalization;
using System.Net;
using MesOrleans.Mqtt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MesOrleans.Hosting;

/// <summary>
/// Before anything binds, checks that the ports this process will listen on are free: web (<c>urls</c>), silo,
/// gateway and embedded broker. Orleans shares its ports with a second process (SO_REUSEPORT), so a second instance
/// of the MES on the same ports would otherwise run beside the first and take some of its connections. A taken port
/// stops the process at once with a message naming the port and its setting, and exit code 1.
/// </summary>
internal sealed partial class ListeningPorts(
    IConfiguration configuration,
    IOptions<EndpointOptions> silo,
    IOptions<MesOptions> mes,
    IOptions<MqttOptions> mqtt,
    ILogger<ListeningPorts> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var taken = Planned().Where(p => !p.EndPoints.All(ExclusivePort.IsFree)).ToList();
        if (taken.Count == 0)
        {
            return Task.CompletedTask;
        }

        var message = string.Join(" ", taken.Select(p =>
            $"Port {p.Port} ({p.Setting}) is already in use: another MES instance or another program listens on it."));
        LogPortsTaken(logger, message);

        // The host rethrows a failed start as an unhandled exception, which ends the process with an abort (134);
        // this process did not start, which service managers and scripts expect to read as exit code 1.
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is PortsInUseException)
            {
                Environment.Exit(1);
            }
        };
        throw new PortsInUseException(message);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<PlannedPort> Planned()
    {
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (WebEndPoint(url) is { Port: > 0 } web)
            {
                yield return new PlannedPort(web.Port, $"urls '{url}'", [web]);
            }
        }

        var endpoints = silo.Value;
        var advertised = endpoints.AdvertisedIPAddress ?? IPAddress.Loopback;
        yield return new PlannedPort(mes.Value.Silo.SiloPort, "Mes:Silo:SiloPort",
            [endpoints.SiloListeningEndpoint ?? new IPEndPoint(advertised, mes.Value.Silo.SiloPort)]);
        yield return new PlannedPort(mes.Value.Silo.GatewayPort, "Mes:Silo:GatewayPort",
            [endpoints.GatewayListeningEndpoint ?? new IPEndPoint(advertised, mes.Value.Silo.GatewayPort)]);

        var broker = mqtt.Value.EmbeddedBroker;
        if (broker.RunsIn(mes.Value.Mode))
        {
            yield return new PlannedPort(broker.Port, "Mes:Mqtt:EmbeddedBroker:Port", BrokerListener.EndPoints(broker).ToList());
        }
    }

    // Kestrel's URL forms: http://host:port with an IP, "localhost", or a wildcard (*, +, a host name) for every address.
    private static IPEndPoint? WebEndPoint(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/')[0];
        var colon = authority.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var host = authority[..colon].Trim('[', ']');
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var ip) ? ip
            : IPAddress.Any;
        return new IPEndPoint(address, port);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Problem} Stop it, or give this instance other ports.")]
    private static partial void LogPortsTaken(ILogger logger, string problem);

    private sealed record PlannedPort(int Port, string Setting, IReadOnlyList<IPEndPoint> EndPoints);
}

/// <summary>A port this process must listen on is taken; the message names the port and its setting.</summary>
public sealed class PortsInUseException(string message) : Exception(message);
