using System.Net;
using System.Net.Sockets;
using MesOrleans.Plant;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MesOrleans.WebFrontend.Tests.Infrastructure;

/// <summary>
/// The whole MES (web app with its co-hosted silo) on a real Kestrel server in the Production environment, with
/// a plant model file and a data folder of its own and free ports, so that suites can run side by side.
/// </summary>
public sealed class MesApp : WebApplicationFactory<Program>
{
    private readonly int _siloPort = FreePort();
    private readonly int _gatewayPort = FreePort();

    /// <summary>The embedded MQTT broker's port.</summary>
    public int BrokerPort { get; } = FreePort();

    public MesApp(string dataDirectory, string plantModelPath)
    {
        DataDirectory = dataDirectory;
        PlantModelPath = plantModelPath;
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    public string PlantModelPath { get; }

    /// <summary>Starts a fresh app on a new data folder with <paramref name="plant"/> as its plant model file.</summary>
    public static MesApp StartWith(PlantModel plant)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mes-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var plantFile = Path.Combine(directory, "plant.json");
        File.WriteAllText(plantFile, PlantModelJson.Write(plant));
        var app = new MesApp(Path.Combine(directory, "data"), plantFile);
        app.StartServer();
        return app;
    }

    /// <summary>The same installation started again: same data folder and plant file.</summary>
    public MesApp Restart()
    {
        var app = new MesApp(DataDirectory, PlantModelPath);
        app.StartServer();
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Mes:DataDirectory", DataDirectory);
        builder.UseSetting("Mes:PlantModelPath", PlantModelPath);
        builder.UseSetting("Mes:Silo:SiloPort", _siloPort.ToString());
        builder.UseSetting("Mes:Silo:GatewayPort", _gatewayPort.ToString());
        builder.UseSetting("Mes:Mqtt:EmbeddedBroker:Port", BrokerPort.ToString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
