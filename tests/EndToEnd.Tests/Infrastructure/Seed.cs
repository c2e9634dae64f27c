using System.Net.Http.Json;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>Records a morning's worth of production through the REST API, so that the pages have something to show.</summary>
public static class Seed
{
    public static async Task MorningAsync(HttpClient http)
    {
        var now = DateTimeOffset.UtcNow;
        var machines = new[] { "assembly/press-1", "assembly/press-2", "assembly/welder-1", "assembly/cell-1", "packaging/filler-1", "packaging/labeler-1", "packaging/palletizer-1" };
        foreach (var machine in machines)
        {
            await PostAsync(http, machine, "state", new { state = "running", at = now.AddMinutes(-115) });
        }

        await StopAsync(http, "assembly/press-2", "E40", now.AddMinutes(-100), now.AddMinutes(-88));
        await StopAsync(http, "assembly/welder-1", "E12", now.AddMinutes(-80), now.AddMinutes(-52));
        await StopAsync(http, "assembly/cell-1", "CO", now.AddMinutes(-70), now.AddMinutes(-50));
        await StopAsync(http, "packaging/filler-1", "NM", now.AddMinutes(-40), now.AddMinutes(-31));
        await StopAsync(http, "packaging/labeler-1", "E40", now.AddMinutes(-30), now.AddMinutes(-24));
        await StopAsync(http, "assembly/press-2", "QC", now.AddMinutes(-20), now.AddMinutes(-15));

        var good = new Dictionary<string, int>
        {
            ["assembly/press-1"] = 540, ["assembly/press-2"] = 420, ["assembly/welder-1"] = 170, ["assembly/cell-1"] = 110,
            ["packaging/filler-1"] = 2300, ["packaging/labeler-1"] = 2050, ["packaging/palletizer-1"] = 95,
        };
        foreach (var (machine, count) in good)
        {
            await PostAsync(http, machine, "counts", new { good = count, @operator = "4711", at = now.AddMinutes(-5) });
        }

        await PostAsync(http, "assembly/press-1", "scrap", new { quantity = 6, reasonCode = "S01", @operator = "4711", at = now.AddMinutes(-60) });
        await PostAsync(http, "assembly/press-2", "scrap", new { quantity = 4, reasonCode = "S02", @operator = "4711", at = now.AddMinutes(-40) });
        await PostAsync(http, "packaging/filler-1", "scrap", new { quantity = 14, reasonCode = "S10", @operator = "2208", at = now.AddMinutes(-30) });
        await PostAsync(http, "assembly/welder-1", "scrap", new { quantity = 3, reasonCode = "S01", @operator = "2208", at = now.AddMinutes(-20) });

        // The palletizer waits for material right now, and nobody has said why yet.
        await PostAsync(http, "packaging/palletizer-1", "state", new { state = "idle", at = now.AddMinutes(-3) });
    }

    public static async Task StopAsync(HttpClient http, string machine, string reason, DateTimeOffset from, DateTimeOffset to)
    {
        await PostAsync(http, machine, "downtime", new { reasonCode = reason, @operator = "4711", at = from });
        await PostAsync(http, machine, "downtime/end", new { @operator = "4711", at = to });
    }

    public static async Task PostAsync(HttpClient http, string machine, string what, object body)
    {
        var (line, id) = (machine.Split('/')[0], machine.Split('/')[1]);
        var response = await http.PostAsJsonAsync($"api/sites/{FloorPlant.Site}/lines/{line}/machines/{id}/{what}", body);
        response.EnsureSuccessStatusCode();
    }
}
