namespace MesOrleans.Telemetry;

/// <summary>What a telemetry message meant for a machine, given what it had seen before.</summary>
internal enum TelemetryClassification
{
    /// <summary>New: a state to apply, or a count whose rise is the delta.</summary>
    Applied,

    /// <summary>The first count ever seen: it sets the baseline and counts nothing.</summary>
    Baseline,

    /// <summary>A newer count below the last: the device's counter was reset and its new value is the delta.</summary>
    Reset,

    /// <summary>Already applied (a repeat by sequence number, or the same count again).</summary>
    Duplicate,

    /// <summary>A count older than the newest one: the cumulative counter already includes it.</summary>
    OutOfOrder,
}
