using Microsoft.Extensions.Logging;

namespace MesOrleans.Simulator;

/// <summary>
/// Moves a simulation on in step with the wall clock, <c>speed</c> simulated seconds per real second, and publishes
/// what the machines send. When publishing falls behind, simulated time still follows the clock and the backlog goes
/// out as fast as the broker takes it.
/// </summary>
internal sealed partial class SimulationRunner(PlantSimulation simulation, TelemetryPublisher publisher, TimeProvider time, ILogger<SimulationRunner> logger)
{
    /// <summary>The fastest simulated time may run: a year in about half a minute.</summary>
    public const double MaxSpeed = 1_000_000;

    // How often simulated time catches up: often enough that a live view sees a change within a blink.
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs until simulated time reaches <paramref name="until"/> (for ever when null); cancellation stops it with an
    /// <see cref="OperationCanceledException"/>. Messages handed over may still await their acknowledgement.
    /// </summary>
    public async Task RunAsync(double speed, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        if (!double.IsFinite(speed) || speed <= 0 || speed > MaxSpeed)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, $"The speed must be above 0 and at most {MaxSpeed}.");
        }

        var startedAt = time.GetTimestamp();
        var lastProgress = startedAt;
        var from = simulation.Now;
        while (true)
        {
            var target = from + (time.GetElapsedTime(startedAt) * speed);
            if (until is { } end && target >= end)
            {
                target = end;
            }

            foreach (var message in simulation.Advance(target))
            {
                await publisher.PublishAsync(message, cancellationToken);
            }

            if (target == until)
            {
                return;
            }

            if (time.GetElapsedTime(lastProgress) >= ProgressInterval)
            {
                lastProgress = time.GetTimestamp();
                LogProgress(target, publisher.Published, publisher.Failed);
            }

            await Task.Delay(Step, time, cancellationToken);
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the broker to acknowledge what was handed over.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        try
        {
            await publisher.FlushAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(timeout);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated time {Now:O}: {Published} messages acknowledged, {Failed} failed")]
    private partial void LogProgress(DateTimeOffset now, long published, long failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up waiting after {Timeout} for the broker to acknowledge the last messages")]
    private partial void LogDrainTimedOut(TimeSpan timeout);
}
