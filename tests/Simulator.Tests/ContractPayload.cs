using System.Globalization;
using System.Text.Json;

namespace MesOrleans.Simulator.Tests;

/// <summary>A payload read strictly as the telemetry contract writes it; anything else fails the test.</summary>
internal sealed record ContractPayload(DateTimeOffset Timestamp, string? State, string? Reason, long? Total, long? Scrap, long Sequence)
{
    private static readonly string[] States = ["running", "idle", "down", "planned", "changeover", "offline"];

    public static ContractPayload Parse(string signal, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var names = root.EnumerateObject().Select(p => p.Name).ToList();

        var ts = root.GetProperty("ts").GetString();
        Assert.NotNull(ts);
        Assert.EndsWith("Z", ts, StringComparison.Ordinal);
        var timestamp = DateTimeOffset.ParseExact(ts, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var sequence = root.GetProperty("seq").GetInt64();
        Assert.True(sequence > 0);

        if (signal == "state")
        {
            Assert.Subset(new HashSet<string>(["ts", "state", "reason", "seq"]), names.ToHashSet());
            var state = root.GetProperty("state").GetString();
            Assert.Contains(state, States);
            var reason = root.TryGetProperty("reason", out var r) ? r.GetString() : null;
            return new ContractPayload(timestamp, state, reason, null, null, sequence);
        }

        Assert.Equal("count", signal);
        Assert.Equal(["ts", "total", "scrap", "seq"], names);
        var total = root.GetProperty("total").GetInt64();
        var scrap = root.GetProperty("scrap").GetInt64();
        Assert.InRange(scrap, 0, total);
        return new ContractPayload(timestamp, null, null, total, scrap, sequence);
    }
}
