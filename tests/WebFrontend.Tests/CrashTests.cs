using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Testing;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>
/// The app as its own process, killed with SIGKILL (no shutdown code runs) and started again on the same data: what
/// a device was told is received, and what a person was answered OK, is there afterwards, live and in history, and
/// nothing is counted twice.
/// </summary>
public sealed class CrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly string[] Machines = [Press, Welder];

    [Fact]
    public async Task Killed_twice_during_ingest_from_one_gateway_it_loses_nothing_acknowledged_and_counts_nothing_twice()
    {
        const int PerMachine = 1_500;
        int[] crashAfter = [700, 1_900];
        await using var app = await MesProcess.StartAsync(Model);
        var messages = CountsFor(PerMachine, DateTimeOffset.UtcNow.AddMinutes(-10));
        var highestAcknowledged = new long[Machines.Length];
        var acknowledged = 0;
        var crashPoints = crashAfter.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        await using var gateway = await ResendingDevice.ConnectAsync(app.BrokerPort);

        var publishing = gateway.PublishAllAsync(messages, window: 50, index =>
        {
            var machine = index % Machines.Length;
            var total = index / Machines.Length + 1;
            InterlockedMax(ref highestAcknowledged[machine], total);
            var count = Interlocked.Increment(ref acknowledged);
            for (var i = 0; i < crashAfter.Length; i++)
            {
                if (count == crashAfter[i])
                {
                    crashPoints[i].TrySetResult();
                }
            }
        });

        foreach (var crashPoint in crashPoints)
        {
            await crashPoint.Task.WaitAsync(Patience);
            await app.CrashAsync();
            var mustHave = highestAcknowledged.Select(t => t - 1).ToArray();

            // The gateway sends nothing new until the check is done, so that the next crash comes during ingest.
            using var hold = gateway.Hold();
            await app.StartAgainAsync();

            // Everything acknowledged before the crash is applied after the restart, before or while the gateway re-sends.
            using var http = await app.CreateClientAsync();
            for (var m = 0; m < Machines.Length; m++)
            {
                var total = await Eventually.ReadAsync(() => LiveTotalAsync(http, Machines[m]), t => t >= mustHave[m], Patience);
                Assert.True(total >= mustHave[m], $"{Machines[m]}: {total} parts after the restart, {mustHave[m]} acknowledged before it.\n{app.Output}");
            }
        }

        await publishing.WaitAsync(Patience);
        Assert.True(gateway.Reconnects >= crashAfter.Length, $"the gateway reconnected {gateway.Reconnects} times");
        using (var http = await app.CreateClientAsync())
        {
            foreach (var machine in Machines)
            {
                // The first value is the baseline: the device counted PerMachine - 1 parts.
                var live = await Eventually.ReadAsync(() => LiveTotalAsync(http, machine), t => t >= PerMachine - 1, Patience);
                Assert.Equal(PerMachine - 1, live);
                Assert.Equal(PerMachine - 1, await HistoryTotalAsync(http, machine));
            }
        }
    }

    [Fact]
    public async Task An_acknowledged_stop_and_an_answered_scrap_entry_survive_kill_9_live_and_in_history()
    {
        await using var app = await MesProcess.StartAsync(Model);
        var stopAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        await using (var device = await ResendingDevice.ConnectAsync(app.BrokerPort))
        {
            await device.PublishAsync($"mes/{Site}/{Line}/{Press}/state", Json(new { ts = stopAt.AddMinutes(-1), state = "running" }));
            await device.PublishAsync($"mes/{Site}/{Line}/{Press}/state", Json(new { ts = stopAt, state = "down", reason = "E12" }));
        }

        await app.CrashAsync();
        await app.StartAgainAsync();
        using (var http = await app.CreateClientAsync())
        {
            var status = await Eventually.ReadAsync(
                () => http.GetFromJsonAsync<JsonElement>(MachineUrl(Press)),
                s => s.GetProperty("state").GetString() == "down",
                Patience);
            Assert.Equal("down", status.GetProperty("state").GetString());
            Assert.Equal("E12", status.GetProperty("openStop").GetProperty("reasonCode").GetString());
            var history = await HistoryEventsAsync(app, Press);
            Assert.Contains(history, e => e.Kind == "StateChanged" && e.State == "Down" && e.ReasonCode == "E12");

            var scrap = await http.PostAsJsonAsync($"{MachineUrl(Press)}/scrap", new { quantity = 3, reasonCode = "S01", @operator = "Anna" });
            Assert.True(scrap.IsSuccessStatusCode, await scrap.Content.ReadAsStringAsync());
        }

        await app.CrashAsync();
        await app.StartAgainAsync();
        using (var http = await app.CreateClientAsync())
        {
            var shift = (await http.GetFromJsonAsync<JsonElement>(MachineUrl(Press))).GetProperty("shiftOee");
            Assert.Equal(3, shift.GetProperty("scrapCount").GetInt64());
            var window = await http.GetFromJsonAsync<JsonElement>(OeeWindowUrl(Press));
            Assert.Equal(3, window.GetProperty("scrapCount").GetInt64());
        }
    }

    private static List<(string Topic, string Payload)> CountsFor(int perMachine, DateTimeOffset start)
    {
        var messages = new List<(string, string)>();
        for (var i = 0; i < perMachine; i++)
        {
            foreach (var machine in Machines)
            {
                messages.Add(($"mes/{Site}/{Line}/{machine}/count", Json(new { ts = start.AddMilliseconds(100 * i), total = i + 1, seq = i + 1 })));
            }
        }

        return messages;
    }

    private static async Task<long> LiveTotalAsync(HttpClient http, string machine) =>
        (await http.GetFromJsonAsync<JsonElement>(MachineUrl(machine))).GetProperty("shiftOee").GetProperty("totalCount").GetInt64();

    private static async Task<long> HistoryTotalAsync(HttpClient http, string machine) =>
        (await http.GetFromJsonAsync<JsonElement>(OeeWindowUrl(machine))).GetProperty("totalCount").GetInt64();

    private static string OeeWindowUrl(string machine) =>
        $"{MachineUrl(machine)}/oee?from={Uri.EscapeDataString(ShiftStart.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}";

    // The event log itself, read from the data folder the crashed process left behind.
    private static async Task<List<LoggedEvent>> HistoryEventsAsync(MesProcess app, string machine)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(app.Root, "data", "mes.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, state, reason_code FROM machine_event WHERE machine_id = $machine ORDER BY machine_seq;";
        command.Parameters.AddWithValue("$machine", $"{Site}/{Line}/{machine}");
        var events = new List<LoggedEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(new LoggedEvent(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return events;
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private sealed record LoggedEvent(string Kind, string? State, string? ReasonCode);
}
