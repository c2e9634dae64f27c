using MesOrleans.History;
using MesOrleans.Plant;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace MesOrleans.Tests.Cluster;

/// <summary>
/// A two-silo test cluster on one SQLite file in a temporary folder, shared by a collection of tests. Each test
/// adds its own machines (unique keys), so tests never see each other's state.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private int _machines;
    private int _lines;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "mes-cluster-" + Guid.NewGuid().ToString("N"));

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The test plant: one site in UTC whose only shift started three hours ago and runs eight hours.</summary>
    public ClusterPlant Plant { get; } = ClusterPlant.StartedHoursAgo(3);

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mes:DataDirectory"] = DataDirectory,
            ["Mes:Mqtt:EmbeddedBroker:Enabled"] = "false",
        }));
        builder.AddSiloBuilderConfigurator<MesTestSilo>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key).ApplyAsync(Plant.Model);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Adds a new machine to the test line and returns its path.</summary>
    public async Task<EquipmentPath> AddMachineAsync(double idealCycleTimeSeconds = 20, double microStopThresholdSeconds = 120)
    {
        var plant = Grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key);
        var current = (await plant.GetModelAsync()).Model;
        var id = $"m{Interlocked.Increment(ref _machines)}";
        var site = current.Sites[0];
        var line = site.Lines[0];
        var machine = new MachineModel(id, $"Machine {id}", idealCycleTimeSeconds, microStopThresholdSeconds);
        var model = current with
        {
            Sites = [site with { Lines = [line with { Machines = [.. line.Machines, machine] }, .. site.Lines.Skip(1)] }],
        };
        await plant.ApplyAsync(model);
        return EquipmentPath.ForMachine(site.Id, line.Id, id);
    }

    /// <summary>
    /// Adds a new line to the test site with machines of these ideal cycle times (the last one counts the line's output)
    /// and, when given, products; returns the machines' paths.
    /// </summary>
    public async Task<IReadOnlyList<EquipmentPath>> AddLineAsync(double[] idealCycleTimesSeconds, params ProductModel[] products)
    {
        var plant = Grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key);
        var current = (await plant.GetModelAsync()).Model;
        var line = $"l{Interlocked.Increment(ref _lines)}";
        var machines = idealCycleTimesSeconds.Select((seconds, i) => new MachineModel($"{line}m{i + 1}", $"Machine {i + 1} of {line}", seconds)).ToList();
        var site = current.Sites[0];
        var known = (current.Products ?? []).Where(p => !products.Any(n => n.PartNumber == p.PartNumber));
        await plant.ApplyAsync(current with
        {
            Sites = [site with { Lines = [.. site.Lines, new LineModel(line, $"Line {line}", machines)] }],
            Products = [.. known, .. products],
        });
        return machines.Select(m => EquipmentPath.ForMachine(site.Id, line, m.Id)).ToList();
    }

    /// <summary>Adds a product to the plant model, or replaces the one of the same part number.</summary>
    public async Task AddProductAsync(ProductModel product)
    {
        var plant = Grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key);
        var current = (await plant.GetModelAsync()).Model;
        await plant.ApplyAsync(current with { Products = [.. (current.Products ?? []).Where(p => p.PartNumber != product.PartNumber), product] });
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}
