using System.Net;
using System.Net.Sockets;
using MesOrleans.Hosting;
using MesOrleans.Plant;
using MesOrleans.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Benchmarks;

/// <summary>The standalone MES silo exactly as the product wires it (AddMesSilo), on free ports and a temporary folder.</summary>
internal sealed class StandaloneSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;

    private StandaloneSilo(IHost host, string directory, int brokerPort)
    {
        _host = host;
        _directory = directory;
        BrokerPort = brokerPort;
    }

    public int BrokerPort { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public TelemetryStats Stats => _host.Services.GetRequiredService<TelemetryStats>();

    public static async Task<StandaloneSilo> StartAsync(PlantModel? plant, bool embeddedBroker)
    {
        var directory = Directory.CreateTempSubdirectory("mes-bench-").FullName;
        var brokerPort = FreePort();
        var settings = new Dictionary<string, string?>
        {
            ["Mes:DataDirectory"] = directory,
            ["Mes:Silo:SiloPort"] = FreePort().ToString(),
            ["Mes:Silo:GatewayPort"] = FreePort().ToString(),
            ["Mes:Mqtt:EmbeddedBroker:Enabled"] = embeddedBroker.ToString(),
            ["Mes:Mqtt:EmbeddedBroker:Port"] = brokerPort.ToString(),
        };
        if (plant is not null)
        {
            var file = Path.Combine(directory, "plant.json");
            await File.WriteAllTextAsync(file, PlantModelJson.Write(plant));
            settings["Mes:PlantModelPath"] = file;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMesSilo();
        var host = builder.Build();
        await host.StartAsync();
        return new StandaloneSilo(host, directory, brokerPort);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
