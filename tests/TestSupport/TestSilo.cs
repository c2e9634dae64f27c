using MesOrleans.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace MesOrleans.Testing;

/// <summary>
/// A silo in cluster mode as <see cref="ClusterSilo.UseMesCluster"/> wires it, in a host of its own on free loopback
/// ports, with the grains of the assemblies loaded. Several of them in one process form a real cluster through the
/// membership table.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host, string name)
    {
        _host = host;
        Name = name;
    }

    public string Name { get; }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public SiloAddress Address => _host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    public static async Task<TestSilo> StartAsync(ClusterSettings cluster, string name)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(cluster.Configuration(name));
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        builder.UseOrleans(silo =>
        {
            silo.UseMesCluster();
            silo.Configure<EndpointOptions>(endpoint =>
            {
                endpoint.SiloPort = siloPort;
                endpoint.GatewayPort = gatewayPort;
            });

            // Reminders every second keep the tests short; production keeps Orleans' one-minute minimum.
            silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, name);
    }

    /// <summary>Leaves the cluster gracefully, as a silo being shut down or restarted does.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
