using MesOrleans.Plant;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Testing;

/// <summary>
/// The whole MES (web app with its co-hosted silo) on a real Kestrel server in the Production environment, with
/// a plant model file and a data folder of its own and free ports, so that suites can run side by side.
/// </summary>
public sealed class MesApp : WebApplicationFactory<Program>
{
    private readonly int _siloPort = FreePort.Next();
    private readonly int _gatewayPort = FreePort.Next();

    /// <summary>The embedded MQTT broker's port.</summary>
    public int BrokerPort { get; } = FreePort.Next();

    public MesApp(string dataDirectory, string plantModelPath)
    {
        DataDirectory = dataDirectory;
        PlantModelPath = plantModelPath;
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    public string PlantModelPath { get; }

    /// <summary>What the app logged at warning level and above.</summary>
    public CapturedLog Log { get; } = new();

    /// <summary>Keep the data folder when this instance is disposed (to start the same installation again).</summary>
    public bool KeepData { get; set; }

    /// <summary>The address a browser opens, ending in a slash.</summary>
    public Uri BaseAddress
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        }
    }

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
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!KeepData && Path.GetDirectoryName(DataDirectory) is { } root)
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a closing process only leaves a temporary folder behind.
            }
        }
    }
}
