using System.Net;
using System.Net.Sockets;
using MesOrleans.Plant;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MesOrleans.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole MES (web app with its co-hosted silo) on a real Kestrel server in the Production environment, with a
/// plant model file, a data folder and free ports of its own, for a browser to talk to.
/// </summary>
public sealed class FloorApp : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mes-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly int _siloPort = FreePort();
    private readonly int _gatewayPort = FreePort();

    private FloorApp()
    {
        UseKestrel(0);
    }

    /// <summary>The address the browser opens, ending in a slash.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public static FloorApp Start(PlantModel plant)
    {
        var app = new FloorApp();
        Directory.CreateDirectory(app._directory);
        File.WriteAllText(Path.Combine(app._directory, "plant.json"), PlantModelJson.Write(plant));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Mes:DataDirectory", Path.Combine(_directory, "data"));
        builder.UseSetting("Mes:PlantModelPath", Path.Combine(_directory, "plant.json"));
        builder.UseSetting("Mes:Silo:SiloPort", _siloPort.ToString());
        builder.UseSetting("Mes:Silo:GatewayPort", _gatewayPort.ToString());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a closing process only leaves a temporary folder behind.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
