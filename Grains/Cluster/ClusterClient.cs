using Microsoft.Extensions.DependencyInjection;

namespace MesOrleans.Cluster;

/// <summary>Cluster mode for the web app: a pure Orleans client of the silos.</summary>
public static class ClusterClient
{
    /// <summary>
    /// Connects the client to the cluster of <c>Mes:Cluster</c>: it finds the silos' gateways in the membership table
    /// of <c>ConnectionStrings:Mes</c> and refreshes the list as silos come and go. Settings are validated when the
    /// host starts.
    /// </summary>
    public static IClientBuilder UseMesCluster(this IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Services.AddMesClusterOptions();
        client.UseAdoNetClustering(options => options.UseMesDatabase((clustering, connectionString) =>
        {
            clustering.Invariant = ClusterOptionsRegistration.Invariant;
            clustering.ConnectionString = connectionString;
        }));
        return client;
    }
}
