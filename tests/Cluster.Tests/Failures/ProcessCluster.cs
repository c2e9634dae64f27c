using MesOrleans.Machines;
using MesOrleans.Plant;
using MesOrleans.Testing;
using Npgsql;

namespace MesOrleans.Cluster.Tests.Failures;

/// <summary>
/// A cluster as an admin runs it, on this machine: a PostgreSQL server and a Mosquitto of its own, silos as separate
/// operating-system processes (the Silo build output in cluster mode, each with its own name and ports, so that one
/// can be killed, frozen or restarted under its name), the plant of <see cref="FailurePlant"/>, and a pure Orleans
/// client to read the machines' live counters. The event log is read straight from PostgreSQL.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan SiloStart = TimeSpan.FromSeconds(120);

    private readonly string _directory;
    private readonly List<AppProcess> _silos = [];
    private readonly List<Uri> _health = [];
    private TestClient? _client;

    private ProcessCluster(string directory, PostgresServer postgres, Mosquitto broker, ClusterSettings settings)
    {
        _directory = directory;
        Postgres = postgres;
        Broker = broker;
        Settings = settings;
    }

    public PostgresServer Postgres { get; }

    public Mosquitto Broker { get; }

    public ClusterSettings Settings { get; }

    public IReadOnlyList<AppProcess> Silos => _silos;

    public IClusterClient Client => _client?.Client ?? throw new InvalidOperationException("Not started.");

    /// <summary>Why this cluster cannot run here, or null.</summary>
    public static string? Missing => PostgresServer.Missing ?? Mosquitto.Missing;

    public static async Task<ProcessCluster> StartAsync(int silos)
    {
        var directory = Directory.CreateTempSubdirectory("mes-cluster-").FullName;
        var postgres = await PostgresServer.StartAsync(durable: true);
        Mosquitto? broker = null;
        ProcessCluster? cluster = null;
        try
        {
            broker = await Mosquitto.StartAsync();
            var settings = ClusterSettings.Create(await postgres.CreateMesDatabaseAsync("failures"));
            cluster = new ProcessCluster(directory, postgres, broker, settings);
            await File.WriteAllTextAsync(cluster.PlantFile, PlantModelJson.Write(FailurePlant.Model));
            for (var n = 1; n <= silos; n++)
            {
                cluster.AddSilo($"silo-{n}");
            }

            await Task.WhenAll(cluster._silos.Select((_, i) => cluster.StartSiloAsync(i)));
            cluster._client = await TestClient.ConnectAsync(settings);
            return cluster;
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
            else
            {
                if (broker is not null)
                {
                    await broker.DisposeAsync();
                }

                await postgres.DisposeAsync();
                Directory.Delete(directory, recursive: true);
            }

            throw;
        }
    }

    private string PlantFile => Path.Combine(_directory, "plant.json");

    /// <summary>Starts silo <paramref name="index"/> (again, under the same name and ports) and waits until it is ready.</summary>
    public Task StartSiloAsync(int index) => _silos[index].StartAsync(_health[index], SiloStart);

    /// <summary>Waits until silo <paramref name="index"/> answers <c>/health/ready</c> with 200.</summary>
    public Task WaitUntilReadyAsync(int index, TimeSpan timeout) => _silos[index].WaitUntilAnsweringAsync(_health[index], timeout);

    /// <summary>What silo <paramref name="index"/>'s <c>/health/ready</c> answers now (0 when it does not answer).</summary>
    public async Task<int> ReadinessAsync(int index)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            return (int)(await http.GetAsync(_health[index])).StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Every machine's live total count (the current shift's, from its grain), or null while some grain does not
    /// answer (its silo died and is not yet declared dead, or the database it activates from is down).
    /// </summary>
    public async Task<long[]?> LiveTotalsAsync()
    {
        try
        {
            return await Task.WhenAll(FailurePlant.Machines.Select(async m =>
                (await Client.GetGrain<IMachineGrain>(m).GetShiftOeeAsync().WaitAsync(TimeSpan.FromSeconds(10))).TotalCount));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>Waits until every machine applied at least <paramref name="counters"/>; false when the time is up first.</summary>
    public async Task<bool> WaitUntilAppliedAsync(IReadOnlyList<long> counters, TimeSpan timeout)
    {
        var live = await Eventually.ReadAsync(LiveTotalsAsync, t => t is not null && t.Zip(counters).All(p => p.First >= p.Second), timeout);
        return live is not null && live.Zip(counters).All(p => p.First >= p.Second);
    }

    /// <summary>Every machine's total from the event log in PostgreSQL: the sum of its count deltas.</summary>
    public async Task<long[]> HistoryTotalsAsync()
    {
        await using var connection = new NpgsqlConnection(Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT machine_id, sum(total_delta)::bigint FROM mes_machine_event GROUP BY machine_id", connection);
        var totals = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            totals[reader.GetString(0)] = reader.GetInt64(1);
        }

        return FailurePlant.Machines.Select(m => totals.GetValueOrDefault(m)).ToArray();
    }

    /// <summary>Events in the log, for the history write rate.</summary>
    public async Task<long> EventCountAsync()
    {
        await using var connection = new NpgsqlConnection(Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM mes_machine_event", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until some silo wrote <paramref name="text"/>.</summary>
    public async Task<bool> WroteAsync(string text, TimeSpan timeout) =>
        await Eventually.ReadAsync(() => Task.FromResult(Output.Contains(text, StringComparison.Ordinal)), found => found, timeout);

    /// <summary>Every silo's output, for a failure message or a measurement.</summary>
    public string Output => string.Join("\n", _silos.Select((s, i) => $"--- silo-{i + 1}\n{s.Output}"));

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await Broker.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private void AddSilo(string name)
    {
        var healthPort = FreePort.Next();
        _health.Add(new Uri($"http://127.0.0.1:{healthPort}/health/ready"));
        _silos.Add(new AppProcess("Silo", "MesOrleans.Silo.dll", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urls"] = $"http://127.0.0.1:{healthPort}",
            ["Mes__Mode"] = "Cluster",
            ["ConnectionStrings__Mes"] = Settings.ConnectionString,
            ["Mes__Cluster__ClusterId"] = Settings.ClusterId,
            ["Mes__Cluster__ServiceId"] = Settings.ClusterId,
            ["Mes__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Mes__Cluster__SiloName"] = name,
            ["Mes__Silo__SiloPort"] = FreePort.Next().ToString(),
            ["Mes__Silo__GatewayPort"] = FreePort.Next().ToString(),
            ["Mes__Mqtt__Host"] = "127.0.0.1",
            ["Mes__Mqtt__Port"] = Broker.Port.ToString(),
            ["Mes__PlantModelPath"] = PlantFile,
            ["Mes__DataDirectory"] = Path.Combine(_directory, name),
        }));
    }
}
