using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Protocol;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>
/// A gateway keeps many messages in flight on one connection; the embedded broker acknowledges each once it is durable
/// in the telemetry queue, in the order they came, and never one it could not write, nor any after it.
/// </summary>
public sealed class AcknowledgementTests : IAsyncLifetime
{
    private const int PressCounts = 30;
    private static readonly int[] WelderAt = [10, 25];

    private MesApp _app = null!;

    public Task InitializeAsync()
    {
        _app = MesApp.StartWith(Model);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_message_the_queue_cannot_write_is_not_acknowledged_nor_any_after_it_and_sending_again_loses_nothing()
    {
        // The queue file refuses the welder's messages, as a full disk refuses a commit.
        await ExecuteOnQueueAsync(
            "CREATE TRIGGER refuse_welder BEFORE INSERT ON telemetry_queue WHEN NEW.stream_key LIKE '%/welder-1' " +
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        var messages = Messages();
        using var gateway = await MqttTestClient.ConnectAsync(_app.BrokerPort);

        // All in flight at once, as a gateway sends them (the client sends them in call order).
        var acknowledged = await Task.WhenAll(messages.Select(m => AcknowledgedAsync(gateway.Client, m.Topic, m.Payload)).ToList());

        var firstRefused = Array.IndexOf(acknowledged, false);
        Assert.InRange(firstRefused, 0, WelderAt[0]);
        Assert.All(acknowledged[firstRefused..], Assert.False);
        await Eventually.ReadAsync(() => Task.FromResult(gateway.DisconnectReason is not null), closed => closed);

        // What was acknowledged is applied (the first count is the machine's baseline).
        using var http = _app.CreateClient();
        var acknowledgedPress = messages.Take(firstRefused).Count(m => m.Topic.Contains(Press, StringComparison.Ordinal));
        var applied = await Eventually.ReadAsync(() => LiveTotalAsync(http, Press), total => total >= acknowledgedPress - 1);
        Assert.True(applied >= acknowledgedPress - 1, $"{applied} applied, {acknowledgedPress} acknowledged");

        // The device sends again, in order, what was not acknowledged, once the queue takes it: everything counts once.
        await ExecuteOnQueueAsync("DROP TRIGGER refuse_welder;");
        using var again = await MqttTestClient.ConnectAsync(_app.BrokerPort);
        var resent = await Task.WhenAll(messages.Skip(firstRefused).Select(m => AcknowledgedAsync(again.Client, m.Topic, m.Payload)).ToList());
        Assert.All(resent, Assert.True);
        Assert.Equal(PressCounts - 1, await Eventually.ReadAsync(() => LiveTotalAsync(http, Press), total => total >= PressCounts - 1));
        Assert.Equal(WelderAt.Length - 1, await Eventually.ReadAsync(() => LiveTotalAsync(http, Welder), total => total >= WelderAt.Length - 1));
    }

    // The press counts 1..30; the welder's counts come at their places among them.
    private static List<(string Topic, string Payload)> Messages()
    {
        var messages = new List<(string, string)>();
        var welder = 0;
        for (var i = 0; i < PressCounts; i++)
        {
            if (WelderAt.Contains(messages.Count))
            {
                messages.Add(Count(Welder, ++welder, messages.Count));
            }

            messages.Add(Count(Press, i + 1, messages.Count));
        }

        return messages;

        static (string, string) Count(string machine, int total, int at) =>
            ($"mes/{Site}/{Line}/{machine}/count",
             JsonSerializer.Serialize(new { ts = ShiftStart.AddMinutes(5).AddMilliseconds(100 * at), total, seq = total }));
    }

    private static async Task<bool> AcknowledgedAsync(IMqttClient client, string topic, string payload)
    {
        try
        {
            var result = await client.PublishStringAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce);
            return result.IsSuccess;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task ExecuteOnQueueAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_app.DataDirectory, "telemetry-queue.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 5000; " + sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> LiveTotalAsync(HttpClient http, string machine) =>
        (await http.GetFromJsonAsync<JsonElement>(MachineUrl(machine))).GetProperty("shiftOee").GetProperty("totalCount").GetInt64();
}
