using MesOrleans.Plant;
using MesOrleans.Telemetry;

namespace MesOrleans.Simulator.Tests.Simulation;

public sealed class SyntheticPlantTests
{
    [Fact]
    public void The_synthetic_plant_is_a_valid_plant_model_file()
    {
        var model = SyntheticPlant.Create(45);

        var read = PlantModelJson.Read(PlantModelJson.Write(model));

        Assert.Empty(read.Problems);
        var site = Assert.Single(read.Model!.Sites);
        Assert.Equal(["line-0", "line-1", "line-2"], site.Lines.Select(l => l.Id));
        Assert.Equal([20, 20, 5], site.Lines.Select(l => l.Machines.Count));
        Assert.Equal("m-44", site.Lines[2].Machines[4].Id);
    }

    [Fact]
    public void Machines_together_send_about_the_asked_rate()
    {
        const int machines = 50;
        const double rate = 400;
        var start = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        var simulation = new PlantSimulation(SyntheticPlant.Create(machines), start, 1, SyntheticPlant.Settings(machines, rate, "load"));
        _ = simulation.Advance(start).ToList();

        var minute = simulation.Advance(start.AddMinutes(1)).ToList();

        // Counters every 125 ms per machine give the rate; stops add a few messages (the state, and counters sent
        // as the machine stops).
        Assert.InRange(minute.Count(m => m.Signal == TelemetrySignal.Count), rate * 60, rate * 60 * 1.02);
        Assert.InRange(minute.Count, rate * 60, rate * 60 * 1.05);
        Assert.All(minute, m => Assert.StartsWith("load/sim/line-", m.Topic, StringComparison.Ordinal));
    }
}
