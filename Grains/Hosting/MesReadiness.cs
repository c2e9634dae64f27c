using System.Collections.Concurrent;

namespace MesOrleans.Hosting;

/// <summary>
/// What has to be up in this process before clients may send: in a silo, the plant model applied and, when there is
/// one, the embedded broker listening; a web app that is only a client waits for nothing of its own. The health check
/// answers 200 only when nothing is pending.
/// </summary>
public sealed class MesReadiness
{
    public const string PlantModel = "the plant model to be applied";
    public const string Broker = "the MQTT broker to listen";

    private readonly ConcurrentDictionary<string, bool> _pending = new();

    public bool IsReady => _pending.IsEmpty;

    public string Status => IsReady ? "ready" : "waiting for " + string.Join(" and ", _pending.Keys.Order());

    /// <summary>Adds a condition to wait for (at registration, before the host starts).</summary>
    public void Expect(string condition) => _pending.TryAdd(condition, true);

    public void Done(string condition) => _pending.TryRemove(condition, out _);
}
