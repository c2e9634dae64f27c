using Microsoft.Extensions.Logging;

namespace MesOrleans.Telemetry;

/// <summary>
/// Logs dropped telemetry without flooding the log: a misconfigured gateway can send thousands of bad messages a
/// second. At most one line per reason per <see cref="Interval"/>, saying how many were left out since the last
/// one; <see cref="TelemetryStats"/> has the full counts. Thread-safe.
/// </summary>
internal sealed partial class RejectLog(ILogger<RejectLog> logger, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    // Topics come from devices; an absurdly long one must not make an absurdly long log line.
    private const int MaxTopicLength = 200;

    private readonly ReasonWindow[] _windows = Enum.GetValues<TelemetryRejectReason>().Select(_ => new ReasonWindow()).ToArray();

    public void Record(TelemetryRejectReason reason, string topic, string detail)
    {
        var window = _windows[(int)reason];
        long suppressed;
        lock (window.Gate)
        {
            // Monotonic time: a wall clock set back must not silence a reason.
            if (window.LastLogged is { } last && time.GetElapsedTime(last) < Interval)
            {
                window.Suppressed++;
                return;
            }

            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.LastLogged = time.GetTimestamp();
        }

        var shownTopic = topic.Length <= MaxTopicLength ? topic : string.Concat(topic.AsSpan(0, MaxTopicLength), "…");
        LogRejected(reason.CamelCaseName(), shownTopic, detail, suppressed);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Dropped telemetry ({Reason}) on {Topic}: {Detail}; {Suppressed} more with this reason since the last report were not logged")]
    private partial void LogRejected(string reason, string topic, string detail, long suppressed);

    private sealed class ReasonWindow
    {
        public Lock Gate { get; } = new();

        public long? LastLogged { get; set; }

        public long Suppressed { get; set; }
    }
}
