using System.Net;
using Microsoft.Extensions.Options;

namespace MesOrleans.Mqtt;

/// <summary>Stops the process at start when the MQTT settings cannot work, naming each bad key.</summary>
internal sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TopicPrefix) || options.TopicPrefix.IndexOfAny(['+', '#']) >= 0
            || options.TopicPrefix.StartsWith('/') || options.TopicPrefix.EndsWith('/'))
        {
            failures.Add($"Mes:Mqtt:TopicPrefix '{options.TopicPrefix}' must be a topic without wildcards and without a leading or trailing '/'.");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Mes:Mqtt:Port must be a TCP port between 1 and 65535; {options.Port} is not.");
        }

        if (options.EmbeddedBroker.Port is < 1 or > 65535)
        {
            failures.Add($"Mes:Mqtt:EmbeddedBroker:Port must be a TCP port between 1 and 65535; {options.EmbeddedBroker.Port} is not.");
        }

        if (options.MaxInFlight is < 1 or > ushort.MaxValue)
        {
            failures.Add($"Mes:Mqtt:MaxInFlight must be between 1 and {ushort.MaxValue}.");
        }

        if (options.EmbeddedBroker.MaxPendingMessagesPerClient < 1000)
        {
            failures.Add("Mes:Mqtt:EmbeddedBroker:MaxPendingMessagesPerClient must be at least 1000.");
        }

        CheckEmbeddedBrokerLimits(options.EmbeddedBroker, failures);

        if (options.EmbeddedBroker.Username is not null != options.EmbeddedBroker.Password is not null)
        {
            failures.Add("Mes:Mqtt:EmbeddedBroker:Username and Password go together: set both or neither.");
        }

        if (string.IsNullOrWhiteSpace(options.SharedSubscriptionGroup) || options.SharedSubscriptionGroup.IndexOfAny(['/', '+', '#']) >= 0)
        {
            failures.Add("Mes:Mqtt:SharedSubscriptionGroup must be a name without '/', '+' or '#'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckEmbeddedBrokerLimits(EmbeddedBrokerOptions broker, List<string> failures)
    {
        const string section = "Mes:Mqtt:EmbeddedBroker:";
        if (broker.BindAddress != "*" && !IPAddress.TryParse(broker.BindAddress, out _))
        {
            failures.Add($"{section}BindAddress '{broker.BindAddress}' must be '*' (every interface) or an IP address such as 127.0.0.1.");
        }

        // MQTT's own ceiling is 256 MB; below 1 KB a device could not send an ordinary telemetry message.
        if (broker.MaxPacketSize is < 1024 or > 268_435_455)
        {
            failures.Add($"{section}MaxPacketSize must be between 1024 and 268435455 bytes; {broker.MaxPacketSize} is not.");
        }

        if (broker.MaxQueuedBytesPerClient < broker.MaxPacketSize)
        {
            failures.Add($"{section}MaxQueuedBytesPerClient must be at least MaxPacketSize ({broker.MaxPacketSize}), so that one message always fits.");
        }

        if (broker.MaxRetainedMessages < 0)
        {
            failures.Add($"{section}MaxRetainedMessages must not be negative.");
        }

        if (broker.MaxRetainedBytes < 0)
        {
            failures.Add($"{section}MaxRetainedBytes must not be negative.");
        }

        if (!Enum.IsDefined(broker.RetainedTopics))
        {
            failures.Add($"{section}RetainedTopics must be None, Telemetry or All.");
        }
    }
}
