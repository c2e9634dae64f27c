using System.Net.Http.Json;
using System.Text.Json;
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
}
