namespace MesOrleans.Simulator;

/// <summary>How the simulated machines report; their behaviour (speed, stops, scrap) is drawn per machine from the seed.</summary>
public sealed record SimulationSettings
{
    /// <summary>The first topic level(s): topics are <c>{prefix}/{site}/{line}/{machine}/{signal}</c>.</summary>
    public string TopicPrefix { get; init; } = "mes";

    /// <summary>A machine publishes its counters at most this often (whole milliseconds), when they changed.</summary>
    public TimeSpan CountInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Also publish the counters after this many parts, whatever the interval; null for never.</summary>
    public int? CountEveryParts { get; init; }

    /// <summary>
    /// Publish the counters at every interval even when they did not change, like a PLC's heartbeat; load tests
    /// use it for a steady message rate.
    /// </summary>
    public bool RepeatUnchangedCounts { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (!IsValidTopicPrefix(TopicPrefix))
        {
            throw new ArgumentException($"The topic prefix '{TopicPrefix}' must be one or more topic levels without '+', '#' or empty levels.", nameof(TopicPrefix));
        }

        if (CountInterval < TimeSpan.FromMilliseconds(1) || CountInterval.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentException($"The count interval {CountInterval} must be a positive whole number of milliseconds.", nameof(CountInterval));
        }

        if (CountEveryParts is < 1)
        {
            throw new ArgumentException($"Counts every {CountEveryParts} parts: the number must be at least 1.", nameof(CountEveryParts));
        }
    }

    /// <summary>True for topic levels such as <c>mes</c> or <c>factory/mes</c>.</summary>
    public static bool IsValidTopicPrefix(string? prefix) =>
        !string.IsNullOrEmpty(prefix)
        && prefix.Split('/').All(level => level.Length > 0 && !level.Contains('+') && !level.Contains('#'));
}
