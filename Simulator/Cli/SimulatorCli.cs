using System.Runtime.InteropServices;
using MesOrleans.Plant;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace MesOrleans.Simulator;

/// <summary>
/// The simulator as a command: load or make the plant, publish until the duration is simulated or Ctrl+C, and print
/// the results. Logs go to standard error, so that standard output carries only results such as the ground truth.
/// </summary>
internal static partial class SimulatorCli
{
    // After Ctrl+C, what is in flight gets this long to be acknowledged.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(SimulatorArguments arguments)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = loggerFactory.CreateLogger(typeof(SimulatorCli).FullName!);

        var (model, settings) = Plant(arguments);
        if (model is null)
        {
            return 1;
        }

        if (arguments.WritePlantPath is { } path)
        {
            return WritePlant(model, path);
        }

        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));

        var seed = arguments.Seed ?? Random.Shared.Next();
        PlantSimulation? simulation = null;
        await using (var publisher = new TelemetryPublisher(arguments.Broker, loggerFactory.CreateLogger<TelemetryPublisher>()))
        {
            try
            {
                LogConnecting(logger, arguments.Broker);
                await publisher.ConnectAsync(stop.Token);
                var now = TimeProvider.System.GetUtcNow();
                simulation = new PlantSimulation(model, arguments.Start ?? now + (arguments.StartBeforeNow ?? TimeSpan.Zero), seed, settings);
                if (arguments.Duration is { } duration)
                {
                    LogStartedFor(logger, MachineCount(model), simulation.Start, seed, arguments.Speed, duration);
                }
                else
                {
                    LogStarted(logger, MachineCount(model), simulation.Start, seed, arguments.Speed);
                }

                var runner = new SimulationRunner(simulation, publisher, TimeProvider.System, loggerFactory.CreateLogger<SimulationRunner>());
                try
                {
                    await runner.RunAsync(arguments.Speed, simulation.Start + arguments.Duration, stop.Token);
                    await publisher.FlushAsync(stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    await runner.DrainAsync(DrainTimeout);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                LogStoppedBeforeStart(logger);
            }
        }

        if (arguments.Truth && simulation is not null)
        {
            Console.WriteLine(simulation.GroundTruth.ToJson());
        }

        return 0;
    }

    private static (PlantModel? Model, SimulationSettings Settings) Plant(SimulatorArguments arguments)
    {
        if (arguments.Machines is { } machines)
        {
            return (SyntheticPlant.Create(machines), SyntheticPlant.Settings(machines, arguments.Rate ?? machines, arguments.TopicPrefix));
        }

        var settings = new SimulationSettings { TopicPrefix = arguments.TopicPrefix };
        if (arguments.PlantPath is null)
        {
            return (DemoPlant.Model, settings);
        }

        var read = PlantModelJson.ReadFile(arguments.PlantPath);
        if (read.Model is null)
        {
            Console.Error.WriteLine($"The plant model {arguments.PlantPath} cannot be simulated:");
            foreach (var problem in read.Problems)
            {
                Console.Error.WriteLine($"  {problem.Path}: {problem.Message}");
            }
        }

        return (read.Model, settings);
    }

    private static int WritePlant(PlantModel model, string path)
    {
        try
        {
            File.WriteAllText(path, PlantModelJson.Write(model));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot write the plant model to {path}: {exception.Message}");
            return 1;
        }

        Console.WriteLine($"Wrote the plant model ({MachineCount(model)} machines) to {Path.GetFullPath(path)}.");
        return 0;
    }

    // The first Ctrl+C stops cleanly; a second one, while the stop waits for the broker, ends the process at once.
    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        if (!stop.IsCancellationRequested)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static int MachineCount(PlantModel model) => model.Sites.Sum(s => s.Lines.Sum(l => l.Machines.Count));

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to the MQTT broker {Broker}")]
    private static partial void LogConnecting(ILogger logger, BrokerEndpoint broker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Machines} machines from {Start:O} (seed {Seed}, speed {Speed}) until Ctrl+C")]
    private static partial void LogStarted(ILogger logger, int machines, DateTimeOffset start, int seed, double speed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Machines} machines from {Start:O} (seed {Seed}, speed {Speed}) for {Duration} of simulated time; Ctrl+C stops early")]
    private static partial void LogStartedFor(ILogger logger, int machines, DateTimeOffset start, int seed, double speed, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped before the broker accepted a connection")]
    private static partial void LogStoppedBeforeStart(ILogger logger);
}
