using MQTTnet;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Mqtt;

/// <summary>
/// Which retained messages the embedded broker keeps (<see cref="EmbeddedBrokerOptions.RetainedTopics"/>), and how
/// many: at most <see cref="EmbeddedBrokerOptions.MaxRetainedMessages"/> messages and
/// <see cref="EmbeddedBrokerOptions.MaxRetainedBytes"/> bytes, where MQTTnet alone keeps every one forever. A retained
/// message past the bounds is still delivered and ingested, only not kept; replacing or clearing a kept topic always works.
/// </summary>
internal sealed partial class RetainedMessageLimits(
    EmbeddedBrokerOptions settings,
    string topicPrefix,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _kept = new(StringComparer.Ordinal);
    private long _bytes;
    private DateTimeOffset _lastWarning = DateTimeOffset.MinValue;

    /// <summary>Lets a retained message be kept, or clears its retain flag; an empty one removes the topic's.</summary>
    public void Admit(MqttApplicationMessage message)
    {
        if (!message.Retain)
        {
            return;
        }

        var topic = message.Topic;
        if (message.Payload.IsEmpty)
        {
            lock (_gate)
            {
                if (_kept.Remove(topic, out var removed))
                {
                    _bytes -= removed;
                }
            }

            return;
        }

        if (!IsWanted(topic))
        {
            message.Retain = false;
            return;
        }

        var size = topic.Length + message.Payload.Length;
        lock (_gate)
        {
            var replaced = _kept.GetValueOrDefault(topic);
            var count = _kept.Count + (_kept.ContainsKey(topic) ? 0 : 1);
            if (count <= settings.MaxRetainedMessages && _bytes - replaced + size <= settings.MaxRetainedBytes)
            {
                _kept[topic] = size;
                _bytes += size - replaced;
                return;
            }
        }

        message.Retain = false;
        WarnNotKept(topic);
    }

    private bool IsWanted(string topic) => settings.RetainedTopics switch
    {
        RetainedTopics.All => true,
        RetainedTopics.Telemetry => topic.Length > topicPrefix.Length && topic.StartsWith(topicPrefix, StringComparison.Ordinal)
            && topic[topicPrefix.Length] == '/',
        _ => false,
    };

    private void WarnNotKept(string topic)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now - _lastWarning < WarningInterval)
            {
                return;
            }

            _lastWarning = now;
        }

        LogNotKept(logger, topic, settings.MaxRetainedMessages, settings.MaxRetainedBytes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retained message on {Topic} delivered but not kept: the broker keeps at most {Count} retained messages and {Bytes} bytes (Mes:Mqtt:EmbeddedBroker:MaxRetainedMessages, MaxRetainedBytes); further ones are not logged for a minute")]
    private static partial void LogNotKept(ILogger logger, string topic, int count, long bytes);
}
