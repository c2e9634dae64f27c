using MesOrleans.Hosting;
using MesOrleans.Machines;
using MesOrleans.Placement;
using MesOrleans.Plant;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace MesOrleans.Tests.Placement;

/// <summary>Two sites, three silos: each site's silo serves it, the third serves none, and a site without a silo runs anywhere.</summary>
public sealed class SitePlacementTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mes-placement-" + Guid.NewGuid().ToString("N"));
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 3);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mes:DataDirectory"] = _dataDirectory,
            ["Mes:Mqtt:EmbeddedBroker:Enabled"] = "false",
        }));
        builder.AddSiloBuilderConfigurator<SiteSilo>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await _cluster.GrainFactory.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key).ApplyAsync(Plant);
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_sites_grains_run_on_the_silos_that_serve_it_and_anywhere_when_none_does()
    {
        foreach (var (site, silo) in new[] { ("plant1", "Primary"), ("plant2", "Secondary_1") })
        {
            foreach (var machine in MachinesOf(site))
            {
                Assert.Equal(silo, await SiloOfAsync(machine));
            }
        }

        // plant3 is declared by no silo: its machines run, wherever.
        Assert.All(await Task.WhenAll(MachinesOf("plant3").Select(SiloOfAsync)), Assert.NotNull);

        // The only silo of plant2 goes: its machines come back on the others.
        var plant2Silo = _cluster.Silos.Single(s => s.Name == "Secondary_1");
        await _cluster.StopSiloAsync(plant2Silo);
        foreach (var machine in MachinesOf("plant2"))
        {
            var status = await _cluster.GrainFactory.GetGrain<IMachineGrain>(machine).GetStatusAsync();
            Assert.Equal(machine, status.Id);
            Assert.NotEqual("Secondary_1", await SiloOfAsync(machine));
        }
    }

    [Theory]
    [InlineData(SiteKeyKind.Path, "plant1/assembly/press-3", "plant1")]
    [InlineData(SiteKeyKind.Path, "plant1/assembly", "plant1")]
    [InlineData(SiteKeyKind.Path, "plant1", "plant1")]
    [InlineData(SiteKeyKind.TicketId, "north-plant-0042", "north-plant")]
    [InlineData(SiteKeyKind.TicketId, "not a ticket", null)]
    public void The_site_is_read_from_the_grain_key(SiteKeyKind kind, string key, string? site) =>
        Assert.Equal(site, SitePlacementDirector.SiteOf(kind, key));

    private async Task<string?> SiloOfAsync(string machine)
    {
        var grain = _cluster.GrainFactory.GetGrain<IMachineGrain>(machine);
        await grain.GetStatusAsync();
        var address = await _cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return _cluster.Silos.SingleOrDefault(s => s.SiloAddress.Equals(address))?.Name;
    }

    private static IEnumerable<string> MachinesOf(string site) =>
        Plant.Sites.Single(s => s.Id == site).Lines.SelectMany(l => l.Machines.Select(m => $"{site}/{l.Id}/{m.Id}"));

    private static PlantModel Plant { get; } = new(
        [.. new[] { "plant1", "plant2", "plant3" }.Select(site => new SiteModel(site, site, "Etc/UTC",
            [new ShiftModel("Day", "00:00", "00:00", [])],
            [new LineModel("assembly", "Assembly", [.. Enumerable.Range(1, 4).Select(i => new MachineModel($"m{i}", $"M{i}", 20))])]))],
        [new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false)],
        [new ScrapReasonModel("S01", "Burr", "production-reject")]);

    /// <summary>An MES silo that serves the site its test name stands for.</summary>
    public sealed class SiteSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMes();
            siloBuilder.Services.AddOptions<MesOptions>().BindConfiguration(MesOptions.SectionName);
            var sites = siloBuilder.Configuration["Orleans:Name"] switch
            {
                "Primary" => "plant1",
                "Secondary_1" => "plant2",
                _ => "",
            };
            siloBuilder.UseSiloMetadata(new Dictionary<string, string> { [SitePlacementDirector.SitesKey] = sites });
        }
    }
}
