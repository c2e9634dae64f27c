using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using MesOrleans.Machines;
using MesOrleans.WebFrontend.Live;
using Microsoft.Extensions.DependencyInjection;
using MesOrleans.Testing;
using MesOrleans.WebFrontend.Tests.Infrastructure;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Machine_states_open_downtimes_and_shift_counters_survive_a_restart()
    {
        var first = MesApp.StartWith(Model);
        JsonElement before;
        using (var http = first.CreateClient())
        {
            await http.PostAsJsonAsync($"{MachineUrl(Press)}/state", new { state = "running", at = ShiftStart.AddMinutes(1) });
            await http.PostAsJsonAsync($"{MachineUrl(Press)}/counts", new { good = 42, @operator = "Anna", at = ShiftStart.AddMinutes(2) });
            await http.PostAsJsonAsync($"{MachineUrl(Press)}/scrap", new { quantity = 3, reasonCode = "S01", @operator = "Anna", at = ShiftStart.AddMinutes(3) });
            var stop = await http.PostAsJsonAsync($"{MachineUrl(Press)}/downtime", new { reasonCode = "E12", note = "leak", @operator = "Anna", at = ShiftStart.AddMinutes(4) });
            stop.EnsureSuccessStatusCode();
            before = await http.GetFromJsonAsync<JsonElement>(MachineUrl(Press));
        }

        first.KeepData = true;
        await first.DisposeAsync();
        using var second = first.Restart();
        using var again = second.CreateClient();
        var after = await again.GetFromJsonAsync<JsonElement>(MachineUrl(Press));

        Assert.Equal("down", after.GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("openStop").GetRawText(), after.GetProperty("openStop").GetRawText());
        Assert.Equal(45, after.GetProperty("shiftOee").GetProperty("totalCount").GetInt64());
        Assert.Equal(3, after.GetProperty("shiftOee").GetProperty("scrapCount").GetInt64());
        var events = await again.GetFromJsonAsync<JsonElement>($"{MachineUrl(Press)}/events");
        Assert.Equal(4, events.GetArrayLength());
    }

    [Fact]
    public async Task After_a_restart_the_live_streams_deliver_to_nobody_of_the_old_web_server()
    {
        var first = MesApp.StartWith(Model);
        using (var http = first.CreateClient())
        {
            using var watching = await first.Services.GetRequiredService<LiveSiteFeed>().SubscribeAsync(Site, _ => Task.CompletedTask);
            (await http.PostAsJsonAsync($"{MachineUrl(Welder)}/state", new { state = "running", at = ShiftStart.AddMinutes(1) })).EnsureSuccessStatusCode();
        }

        first.KeepData = true;
        await first.DisposeAsync();
        using var second = first.Restart();
        var heard = Channel.CreateUnbounded<MachineStatus>();
        using var listening = await second.Services.GetRequiredService<LiveSiteFeed>()
            .SubscribeAsync(Site, status => heard.Writer.WriteAsync(status).AsTask());
        using var again = second.CreateClient();

        // Two changes in a row: by the time the second reaches the new server, the first went to every subscriber the stream has.
        foreach (var state in new[] { "idle", "running" })
        {
            (await again.PostAsJsonAsync($"{MachineUrl(Welder)}/state", new { state, at = DateTimeOffset.UtcNow })).EnsureSuccessStatusCode();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while ((await heard.Reader.ReadAsync(timeout.Token)).State?.ToString().ToLowerInvariant() != state)
            {
            }
        }

        Assert.DoesNotContain(second.Log.Entries, e => e.Contains("ClientNotAvailableException", StringComparison.Ordinal));
    }
}
