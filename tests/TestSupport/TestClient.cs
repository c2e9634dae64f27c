using MesOrleans.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Testing;

/// <summary>A pure Orleans client, as the web app is in cluster mode: it knows only the database and the cluster id.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private readonly IHost _host;

    private TestClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<TestClient> ConnectAsync(ClusterSettings cluster)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(cluster.Configuration());
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseMesCluster());
        var host = builder.Build();
        await host.StartAsync();
        return new TestClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
