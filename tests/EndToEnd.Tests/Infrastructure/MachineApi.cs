using System.Net.Http.Json;
using System.Text.Json;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>What the REST API says about a machine, to check what the pages show against.</summary>
public static class MachineApi
{
    /// <summary><c>GET /api/sites/{site}/lines/{line}/machines/{machine}</c>; <paramref name="machine"/> is <c>line/machine</c>.</summary>
    public static async Task<JsonElement> StatusAsync(HttpClient http, string machine)
    {
        var (line, id) = (machine.Split('/')[0], machine.Split('/')[1]);
        return await http.GetFromJsonAsync<JsonElement>($"api/sites/{FloorPlant.Site}/lines/{line}/machines/{id}");
    }

    /// <summary>The machine's availability in the current shift.</summary>
    public static async Task<double> ShiftAvailabilityAsync(HttpClient http, string machine) =>
        (await StatusAsync(http, machine)).GetProperty("shiftOee").GetProperty("availability").GetDouble();

    /// <summary>The local start of the floor plant's shift (the hour two hours ago, Berlin time).</summary>
    public static DateTimeOffset ShiftStart()
    {
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, now.Offset).AddHours(-2);
    }
}
