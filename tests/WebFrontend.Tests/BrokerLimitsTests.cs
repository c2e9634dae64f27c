using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>The embedded broker's limits that protect the process, and a second instance on ports already taken.</summary>
public sealed class BrokerLimitsTests
{
    private static readonly Dictionary<string, string?> SmallLimits = new()
    {
        ["Mes:Mqtt:EmbeddedBroker:MaxPacketSize"] = "1024",
        ["Mes:Mqtt:EmbeddedBroker:MaxQueuedBytesPerClient"] = "4096",
    };

    [Fact]
    public async Task A_packet_announcing_more_than_the_maximum_size_closes_the_connection_before_it_is_read()
    {
        await using var app = MesApp.StartWith(Model, SmallLimits);
        using var http = app.CreateClient();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, app.BrokerPort);

        // MQTT 3.1.1 CONNECT with client id "t", then the header of a PUBLISH that announces 200 MB.
        await socket.SendAsync(new byte[] { 0x10, 0x0D, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, (byte)'t' });
        var connAck = new byte[4];
        Assert.Equal(4, await socket.ReceiveAsync(connAck));
        byte[] publishHeader = [0x30, .. RemainingLength(200_000_000), 0x00, 0x01, (byte)'x'];
        await socket.SendAsync(publishHeader);

        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, connAck);
        Assert.True(await IsClosedByPeerAsync(socket));
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("/api/telemetry/stats")).GetProperty("received").GetInt64());
    }

    [Fact]
    public async Task An_mqtt_5_client_sending_a_packet_over_the_maximum_is_told_why_it_is_disconnected()
    {
        await using var app = MesApp.StartWith(Model, SmallLimits);
        using var device = await MqttTestClient.ConnectAsync(app.BrokerPort);

        await Assert.ThrowsAnyAsync<Exception>(() => device.Client.PublishStringAsync(
            $"mes/{Site}/{Line}/{Press}/state", new string('x', 2000), MqttQualityOfServiceLevel.AtLeastOnce));
        var reason = await Eventually.ReadAsync(() => Task.FromResult(device.DisconnectReason), r => r is not null);

        Assert.Equal(MqttClientDisconnectReason.PacketTooLarge, reason);
    }

    [Fact]
    public async Task An_absent_subscriber_gets_no_more_queued_bytes_than_its_bound()
    {
        await using var app = MesApp.StartWith(Model, SmallLimits);
        var clientId = "historian-" + Guid.NewGuid().ToString("N");
        void Persistent(MqttClientOptionsBuilder o) => o.WithClientId(clientId).WithCleanStart(false).WithSessionExpiryInterval(600);
        using (var subscriber = await MqttTestClient.ConnectAsync(app.BrokerPort, Persistent))
        {
            await subscriber.Client.SubscribeAsync("scada/#", MqttQualityOfServiceLevel.AtLeastOnce);
            await subscriber.Client.DisconnectAsync();
        }

        using var publisher = await MqttTestClient.ConnectAsync(app.BrokerPort);
        for (var i = 0; i < 10; i++)
        {
            // 10 characters of topic and 900 bytes of payload: four fit in 4096 bytes, a fifth does not.
            await publisher.Client.PublishStringAsync("scada/bulk", i + new string('.', 899), MqttQualityOfServiceLevel.AtLeastOnce);
        }

        await publisher.Client.PublishStringAsync("scada/end", "!", MqttQualityOfServiceLevel.AtLeastOnce);
        using var back = await MqttTestClient.ConnectAsync(app.BrokerPort, Persistent);
        await Eventually.ReadAsync(() => Task.FromResult(back.Received.Any(m => m.Topic == "scada/end")), seen => seen);

        Assert.Equal(["0", "1", "2", "3"], back.Received.Where(m => m.Topic == "scada/bulk").Select(m => m.Payload[..1]));
    }

    [Fact]
    public void Bad_broker_limits_stop_the_app_at_start_naming_each_key()
    {
        var error = Assert.ThrowsAny<Exception>(() => MesApp.StartWith(Model, new Dictionary<string, string?>
        {
            ["Mes:Mqtt:EmbeddedBroker:BindAddress"] = "everywhere",
            ["Mes:Mqtt:EmbeddedBroker:MaxPacketSize"] = "10",
        }));

        var message = Messages(error);
        Assert.Contains("Mes:Mqtt:EmbeddedBroker:BindAddress", message);
        Assert.Contains("Mes:Mqtt:EmbeddedBroker:MaxPacketSize", message);
    }

    [Fact]
    public async Task A_second_app_on_a_taken_broker_port_stops_at_once_naming_the_port()
    {
        await using var first = MesApp.StartWith(Model);

        var error = Assert.ThrowsAny<Exception>(() => MesApp.StartWith(Model, brokerPort: first.BrokerPort));

        Assert.Contains($"Port {first.BrokerPort} (Mes:Mqtt:EmbeddedBroker:Port) is already in use", Messages(error));
        using var device = await MqttTestClient.ConnectAsync(first.BrokerPort);
        Assert.True(device.Client.IsConnected);
    }

    [Fact]
    public async Task A_second_mes_process_on_a_taken_broker_port_exits_with_code_1_and_says_which_port()
    {
        await using var first = MesApp.StartWith(Model);
        var data = Directory.CreateTempSubdirectory("mes-second-");
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "MesOrleans.WebFrontend.dll")])
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
                    ["Mes__DataDirectory"] = data.FullName,
                    ["Mes__Demo__Enabled"] = "true",
                    ["Mes__Silo__SiloPort"] = FreePort.Next().ToString(),
                    ["Mes__Silo__GatewayPort"] = FreePort.Next().ToString(),
                    ["Mes__Mqtt__EmbeddedBroker__Port"] = first.BrokerPort.ToString(),
                },
            };
            var run = await StandardClients.RunAsync(start);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains($"Port {first.BrokerPort} (Mes:Mqtt:EmbeddedBroker:Port) is already in use", run.Output + run.Error);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<bool> IsClosedByPeerAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None, timeout.Token) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    private static byte[] RemainingLength(int length)
    {
        var bytes = new List<byte>();
        do
        {
            var next = (byte)(length % 128);
            length /= 128;
            bytes.Add(length > 0 ? (byte)(next | 0x80) : next);
        }
        while (length > 0);

        return [.. bytes];
    }

    private static string Messages(Exception error)
    {
        var text = new StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
        }

        return text.ToString();
    }
}
