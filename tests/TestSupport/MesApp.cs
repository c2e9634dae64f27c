using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MesOrleans.Plant;
using MesOrleans.WebFrontend.Security.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Testing;

/// <summary>
/// The whole MES (web app with its co-hosted silo) on a real Kestrel server in the Production environment, with
/// a plant model file and a data folder of its own and free ports, so that suites can run side by side. It starts
/// with an initial admin (all sites) from configuration, as a plant would, and <see cref="CreateClient"/> signs in as
/// that admin: every request carries its access token.
/// </summary>
public sealed class MesApp : WebApplicationFactory<Program>
{
    /// <summary>The initial admin every test app has (Mes:Auth:InitialAdmin).</summary>
    public const string AdminUserName = "test-admin";

    public const string AdminPassword = "Test-admin-1!";

    private readonly Lazy<Task<string>> _adminToken;

    private readonly int _siloPort = FreePort.Next();
    private readonly int _gatewayPort = FreePort.Next();

    /// <summary>The embedded MQTT broker's port.</summary>
    public int BrokerPort { get; }

    public MesApp(string dataDirectory, string plantModelPath, IReadOnlyDictionary<string, string?>? settings = null, int? brokerPort = null)
    {
        DataDirectory = dataDirectory;
        PlantModelPath = plantModelPath;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }

        BrokerPort = brokerPort ?? FreePort.Next();
        UseKestrel(0);
        _adminToken = new(() => SignInAsync(AdminUserName, AdminPassword));
    }

    /// <summary>Configuration on top of the test defaults (before the app starts), e.g. broker limits or <c>Mes:Auth:Station:IdleSignOut</c>.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>A client without credentials.</summary>
    public HttpClient CreateAnonymousClient() => new() { BaseAddress = BaseAddress };

    /// <summary>A client that sends <paramref name="accessToken"/> (from <see cref="SignInAsync"/> or an API token) as a bearer token.</summary>
    public HttpClient CreateClient(string accessToken)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Signs in through <c>POST /api/auth/login</c> and returns the access token.</summary>
    public async Task<string> SignInAsync(string userName, string password)
    {
        using var anonymous = CreateAnonymousClient();
        var response = await anonymous.PostAsJsonAsync("api/auth/login", new { userName, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Creates a user with <paramref name="grants"/> (<c>supervisor@plant1</c>, <c>admin@*</c>) straight in the identity store.</summary>
    public async Task<string> AddUserAsync(string userName, string password, params string[] grants)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MesUser>>();
        var user = new MesUser { UserName = userName, LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var db = scope.ServiceProvider.GetRequiredService<MesIdentityDb>();
        foreach (var grant in grants)
        {
            var at = grant.IndexOf('@');
            db.Grants.Add(new UserGrant { UserId = user.Id, Role = grant[..at], Site = grant[(at + 1)..] });
        }

        await db.SaveChangesAsync();
        return user.Id;
    }

    /// <summary>Every client from CreateClient() is the initial admin's.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.BaseAddress = BaseAddress;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken.Value.GetAwaiter().GetResult());
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

    /// <summary>
    /// Starts a fresh app on a new data folder with <paramref name="plant"/> as its plant model file, with extra
    /// settings and, when given, a broker port of its own choosing (to try one that is taken).
    /// </summary>
    public static MesApp StartWith(PlantModel plant, IReadOnlyDictionary<string, string?>? settings = null, int? brokerPort = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return TryStart(plant, settings, brokerPort);
            }
            catch (InvalidOperationException refused) when (attempt < 3 && TookAnotherAppsPort(refused.Message, brokerPort))
            {
                // A free port found for this app was taken by another test's app before this one listened: new ports.
            }
        }
    }

    // A port this app chose itself (not one the test asked for) was taken in the meantime.
    private static bool TookAnotherAppsPort(string message, int? brokerPort) =>
        message.Contains("is already in use", StringComparison.Ordinal)
        && (brokerPort is null || !message.Contains($"Port {brokerPort} ", StringComparison.Ordinal));

    private static MesApp TryStart(PlantModel plant, IReadOnlyDictionary<string, string?>? settings, int? brokerPort)
    {
        var app = Create(plant, settings, brokerPort);
        try
        {
            app.StartServer();
            return app;
        }
        catch (Exception failure)
        {
            // An app that refuses to start logs why and ends (exit code 1): the caller needs that, not what the test
            // host says about a host that is gone.
            var log = string.Join(Environment.NewLine, app.Log.Entries);
            try
            {
                app.Dispose();
            }
            catch (Exception teardown) when (teardown is ObjectDisposedException or InvalidOperationException or AggregateException)
            {
                // Ended by the app itself already, or a silo that never ran refuses to stop: neither is the news.
            }

            throw new InvalidOperationException($"The app did not start: {failure.Message}{Environment.NewLine}{log}", failure);
        }
    }

    private static MesApp Create(PlantModel plant, IReadOnlyDictionary<string, string?>? settings = null, int? brokerPort = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mes-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var plantFile = Path.Combine(directory, "plant.json");
        File.WriteAllText(plantFile, PlantModelJson.Write(plant));
        return new MesApp(Path.Combine(directory, "data"), plantFile, settings, brokerPort);
    }

    /// <summary>The same installation started again: same data folder and plant file.</summary>
    public MesApp Restart()
    {
        var app = new MesApp(DataDirectory, PlantModelPath, Settings);
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
        builder.UseSetting("Mes:Auth:InitialAdmin:UserName", AdminUserName);
        builder.UseSetting("Mes:Auth:InitialAdmin:Password", AdminPassword);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

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
