namespace MesOrleans.Testing;

/// <summary>The settings silos and clients of one test cluster share: its database and a cluster id of its own.</summary>
public sealed record ClusterSettings(string ConnectionString, string ClusterId)
{
    public static ClusterSettings Create(string connectionString) =>
        new(connectionString, "test-" + Guid.NewGuid().ToString("N")[..12]);

    public Dictionary<string, string?> Configuration(string? siloName = null) => new()
    {
        ["ConnectionStrings:Mes"] = ConnectionString,
        ["Mes:Cluster:ClusterId"] = ClusterId,
        ["Mes:Cluster:ServiceId"] = ClusterId,
        ["Mes:Cluster:AdvertisedAddress"] = "127.0.0.1",
        ["Mes:Cluster:SiloName"] = siloName,
    };
}
