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
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}
