using System.Net;
using System.Net.Sockets;
using MesOrleans.Hosting;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Mqtt;

/// <summary>
/// The embedded broker's TCP listener, in place of MQTTnet's: it binds <see cref="EmbeddedBrokerOptions.BindAddress"/>
/// so that a second process on the port fails (<see cref="ExclusivePort"/>), and puts every connection behind a
/// <see cref="PacketGuard"/> and a <see cref="BrokerConnection"/>, which MQTTnet's listener gives no place for.
/// </summary>
internal sealed partial class BrokerListener(
    EmbeddedBrokerOptions settings,
    Func<IMqttChannelAdapter, PacketGuard, BrokerConnection> connect,
    TimeProvider time,
    ILogger logger) : IMqttServerAdapter
{
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>Where the broker listens: every interface (IPv4 and IPv6) for <c>*</c>, else the one address.</summary>
    public static IEnumerable<IPEndPoint> EndPoints(EmbeddedBrokerOptions settings) => settings.BindAddress == "*"
        ? [new IPEndPoint(IPAddress.Any, settings.Port), new IPEndPoint(IPAddress.IPv6Any, settings.Port)]
        : [new IPEndPoint(IPAddress.Parse(settings.BindAddress), settings.Port)];

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        _socket = Listen(options.DefaultEndpointOptions.ConnectionBacklog);
        _ = AcceptAsync(_socket, options, mqttLogger, _stopping.Token);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _stopping.Cancel();
        _socket?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        StopAsync();
        _stopping.Dispose();
    }

    private Socket Listen(int backlog)
    {
        // For "*", [::] takes IPv4 connections too; a machine without IPv6 gets 0.0.0.0.
        var endPoints = EndPoints(settings).ToList();
        try
        {
            return Listen(endPoints[^1], backlog);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressFamilyNotSupported && endPoints.Count > 1)
        {
            return Listen(endPoints[0], backlog);
        }
    }

    private Socket Listen(IPEndPoint endPoint, int backlog)
    {
        try
        {
            return ExclusivePort.Listen(endPoint, backlog);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new PortsInUseException(
                $"Port {settings.Port} (Mes:Mqtt:EmbeddedBroker:Port) is already in use: another MES instance or another program listens on it.");
        }
    }

    private async Task AcceptAsync(Socket listener, MqttServerOptions options, IMqttNetLogger mqttLogger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                || (e is SocketException s && s.SocketErrorCode == SocketError.OperationAborted))
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file handles and the like: wait rather than spin.
                LogAcceptFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None);
                continue;
            }

            _ = ServeAsync(client, options, mqttLogger);
        }
    }

    private async Task ServeAsync(Socket client, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        try
        {
            client.NoDelay = true;
            client.LingerState = new LingerOption(true, 0);
            var stream = new NetworkStream(client, ownsSocket: true);
            var channel = new MqttTcpChannel(stream, client.LocalEndPoint, client.RemoteEndPoint, clientCertificate: null);
            var guard = new PacketGuard(channel, settings.MaxPacketSize);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
            using var connection = connect(new MqttChannelAdapter(guard, formatter, mqttLogger), guard);
            if (ClientHandler is { } handler)
            {
                await handler(connection);
            }
        }
        catch (Exception e)
        {
            LogConnectionFailed(logger, e, client.RemoteEndPoint?.ToString());
        }
        finally
        {
            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedded MQTT broker could not accept a connection")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection from {Remote} failed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception, string? remote);
}
