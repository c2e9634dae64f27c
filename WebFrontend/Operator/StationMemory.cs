using System.Text.Json;
using Microsoft.JSInterop;

namespace MesOrleans.WebFrontend.Operator;

/// <summary>
/// What a station's tablet remembers in its browser: the operators who worked at it, the latest first, so that
/// signing in is one tap. Nothing secret is kept here; sign-in proper comes with the security work.
/// </summary>
public sealed class StationMemory(IJSRuntime js, ILogger<StationMemory> logger)
{
    /// <summary>How many operators a station remembers.</summary>
    public const int Capacity = 6;

    private const string Key = "mes.station.operators";

    public async Task<IReadOnlyList<string>> OperatorsAsync()
    {
        try
        {
            var json = await js.InvokeAsync<string?>("localStorage.getItem", Key);
            return string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];
        }
        catch (Exception ex) when (ex is JSException or JsonException or InvalidOperationException or TaskCanceledException)
        {
            // A browser without storage (or a cleared one) only means picking the operator again.
            logger.LogDebug(ex, "The station's remembered operators could not be read");
            return [];
        }
    }

    /// <summary>Puts <paramref name="name"/> first and returns the list as now remembered.</summary>
    public async Task<IReadOnlyList<string>> RememberAsync(string name)
    {
        var list = (await OperatorsAsync()).Where(o => o != name).Prepend(name).Take(Capacity).ToList();
        try
        {
            await js.InvokeVoidAsync("localStorage.setItem", Key, JsonSerializer.Serialize(list));
        }
        catch (Exception ex) when (ex is JSException or InvalidOperationException or TaskCanceledException)
        {
            logger.LogDebug(ex, "The station's remembered operators could not be written");
        }

        return list;
    }
}
