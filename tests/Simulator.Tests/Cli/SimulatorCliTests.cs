using MesOrleans.Plant;
using MesOrleans.Simulator.Tests.Publishing;

namespace MesOrleans.Simulator.Tests.Cli;

public sealed class SimulatorCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mes-simulator-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Load_mode_writes_a_plant_model_the_mes_can_start_with()
    {
        var path = Path.Combine(_folder, "load.json");

        var exitCode = await SimulatorCli.RunAsync(new SimulatorArguments { Machines = 30, WritePlantPath = path });

        Assert.Equal(0, exitCode);
        var read = PlantModelJson.ReadFile(path);
        Assert.Empty(read.Problems);
        Assert.Equal(30, TestPlants.MachineCount(read.Model!));
    }

    [Fact]
    public async Task A_plant_model_file_that_is_not_valid_is_refused()
    {
        var path = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(path, """{"sites": []}""");

        Assert.Equal(1, await SimulatorCli.RunAsync(new SimulatorArguments { PlantPath = path }));
    }

    [Fact]
    public async Task A_run_of_a_plant_file_for_a_duration_publishes_it_and_ends()
    {
        await using var broker = await TestBroker.StartAsync();
        var path = Path.Combine(_folder, "plant.json");
        await File.WriteAllTextAsync(path, PlantModelJson.Write(TestPlants.Small));

        var exitCode = await SimulatorCli.RunAsync(new SimulatorArguments
        {
            Broker = broker.Endpoint,
            PlantPath = path,
            TopicPrefix = "cli",
            Seed = 3,
            Speed = 100_000,
            Duration = TimeSpan.FromHours(2),
        });

        Assert.Equal(0, exitCode);
        Assert.Equal(
            ["cli/test/line/fast/count", "cli/test/line/fast/state", "cli/test/line/medium/count", "cli/test/line/medium/state", "cli/test/line/slow/count", "cli/test/line/slow/state"],
            broker.Messages.Select(m => m.Topic).Distinct().Order());

        // Two hours of the fast machine's counters every five seconds, all acknowledged before the command ended.
        Assert.True(broker.Messages.Count(m => m.Topic == "cli/test/line/fast/count") > 1000);
    }
}
