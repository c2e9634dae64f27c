using MesOrleans.Plant;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MesOrleans.Simulator;

/// <summary>
/// Runs the simulator inside a host (the web app in Development, against its embedded broker): waits until the broker
/// accepts a connection, asks the host for the plant model, and simulates it from now on, in step with the wall clock
/// at speed 1. A simulator that fails logs why and stops; it never takes the host down with it.
/// </summary>
public sealed partial class SimulatorService(
    IOptions<SimulatorOptions> options,
    Func<CancellationToken, Task<PlantModel>> plantModel,
    TimeProvider time,
    ILoggerFactory loggerFactory) : BackgroundService
{
    // On shutdown, what is in flight gets this long to be acknowledged.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly ILogger<SimulatorService> _logger = loggerFactory.CreateLogger<SimulatorService>();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SimulateAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        catch (Exception exception)
        {
            LogFailed(exception);
        }
    }

    private async Task SimulateAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var broker = BrokerEndpoint.Parse(settings.Broker);
        await using var publisher = new TelemetryPublisher(broker, loggerFactory.CreateLogger<TelemetryPublisher>());
        LogWaitingForBroker(broker);
        await publisher.ConnectAsync(stoppingToken);

        var model = await plantModel(stoppingToken);
        var seed = settings.Seed ?? Random.Shared.Next();
        var simulation = new PlantSimulation(model, time.GetUtcNow(), seed, new SimulationSettings { TopicPrefix = settings.TopicPrefix });
        LogStarted(model.Sites.Sum(s => s.Lines.Sum(l => l.Machines.Count)), seed, settings.Speed);
        var runner = new SimulationRunner(simulation, publisher, time, loggerFactory.CreateLogger<SimulationRunner>());
        try
        {
            await runner.RunAsync(settings.Speed, until: null, stoppingToken);
        }
        finally
        {
            await runner.DrainAsync(DrainTimeout);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator waiting for the MQTT broker {Broker}")]
    private partial void LogWaitingForBroker(BrokerEndpoint broker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Machines} machines from now on (seed {Seed}, speed {Speed})")]
    private partial void LogStarted(int machines, int seed, double speed);

    [LoggerMessage(Level = LogLevel.Error, Message = "The simulator stopped after a failure; the rest of the host runs on")]
    private partial void LogFailed(Exception exception);
}
