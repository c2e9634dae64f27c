using Microsoft.Extensions.Options;

namespace MesOrleans.Telemetry.Queue;

/// <summary>The <c>Mes:Telemetry:Queue</c> section: the durable queue between the broker and the machine grains.</summary>
public sealed class TelemetryQueueOptions
{
    public const string SectionName = "Mes:Telemetry:Queue";

    /// <summary>
    /// Partitions of the queue, each pulled by its own agent. A machine's messages stay in one partition, in order.
    /// </summary>
    public int Partitions { get; set; } = 4;

    /// <summary>
    /// Above this many undelivered messages the broker waits before acknowledging more, so that devices slow down to
    /// the rate the grains keep up with instead of the backlog growing.
    /// </summary>
    public int BackpressureDepth { get; set; } = 20_000;

    /// <summary>How long a publish may wait for room before it is refused (the device keeps it and sends it again).</summary>
    public TimeSpan MaxBackpressureWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The backlog past which nothing more is acknowledged: an alarm on the admin page and in <c>/health</c>, and
    /// devices keep their data until the grains catch up.
    /// </summary>
    public int MaxDepth { get; set; } = 1_000_000;

    /// <summary>
    /// <c>Normal</c> (default) survives a crash of the process; <c>Full</c> also survives a power loss, at the price of
    /// an fsync per commit.
    /// </summary>
    public QueueDurability Durability { get; set; } = QueueDurability.Normal;
}

/// <summary>What an acknowledged message survives (SQLite's <c>synchronous</c> setting of the queue file).</summary>
public enum QueueDurability
{
    /// <summary>A process crash; a power loss may take the last second or so of acknowledged messages.</summary>
    Normal,

    /// <summary>A process crash and a power loss: every commit waits for the disk.</summary>
    Full,
}

/// <summary>Stops the process at start when the queue settings cannot work, naming the key.</summary>
internal sealed class TelemetryQueueOptionsValidator : IValidateOptions<TelemetryQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryQueueOptions options)
    {
        var problems = new List<string>();
        if (options.Partitions is < 1 or > 64)
        {
            problems.Add($"{TelemetryQueueOptions.SectionName}:Partitions must be between 1 and 64; it is {options.Partitions}.");
        }

        if (options.BackpressureDepth < 100)
        {
            problems.Add($"{TelemetryQueueOptions.SectionName}:BackpressureDepth must be at least 100; it is {options.BackpressureDepth}.");
        }

        if (options.MaxDepth < options.BackpressureDepth)
        {
            problems.Add($"{TelemetryQueueOptions.SectionName}:MaxDepth ({options.MaxDepth}) must be at least BackpressureDepth ({options.BackpressureDepth}).");
        }

        if (options.MaxBackpressureWait <= TimeSpan.Zero || options.MaxBackpressureWait > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{TelemetryQueueOptions.SectionName}:MaxBackpressureWait must be more than 0 and at most 5 minutes; it is {options.MaxBackpressureWait}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
