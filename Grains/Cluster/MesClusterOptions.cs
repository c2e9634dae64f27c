using Microsoft.Extensions.Configuration;

namespace MesOrleans.Cluster;

/// <summary>
/// The <c>Mes:Cluster</c> section and the <c>ConnectionStrings:Mes</c> PostgreSQL database: what silos and the web
/// app of one cluster must agree on.
/// </summary>
public sealed class MesClusterOptions
{
    public const string SectionName = "Mes:Cluster";

    /// <summary>The name under <c>ConnectionStrings</c>: <c>ConnectionStrings:Mes</c>.</summary>
    public const string ConnectionStringName = "Mes";

    /// <summary>The PostgreSQL database of membership, grain state and reminders (from <c>ConnectionStrings:Mes</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Silos and clients with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "mes";

    /// <summary>
    /// Names the application's grain state and reminders in the database. It must stay the same across deployments
    /// and upgrades, or grains start again from empty state.
    /// </summary>
    public string ServiceId { get; set; } = "mes";

    /// <summary>
    /// The IP address other silos and clients reach this silo at (Kubernetes: the pod IP). When empty, the first
    /// non-loopback IPv4 address of the host.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The silo's name in the membership table (Kubernetes: the pod name). When empty, Orleans picks one.</summary>
    public string? SiloName { get; set; }

    /// <summary>Binds the section and the connection string from <paramref name="configuration"/>.</summary>
    internal void Bind(IConfiguration configuration)
    {
        configuration.GetSection(SectionName).Bind(this);
        ConnectionString = configuration.GetConnectionString(ConnectionStringName);
    }
}
