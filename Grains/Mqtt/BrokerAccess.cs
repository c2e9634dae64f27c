using System.Security.Cryptography;
using System.Text;
using MesOrleans.Devices;
using Microsoft.Extensions.Options;

namespace MesOrleans.Mqtt;

/// <summary>
/// Who may connect to the embedded broker and what they may do. Anonymous clients are accepted only while no
/// credentials exist (neither <c>Mes:Mqtt:EmbeddedBroker:Username</c> nor any device account); the configured
/// plant account may use any topic; a device account may publish only its own site's telemetry and may not
/// subscribe to another site's. Every decision is made from memory: nothing here calls a grain.
/// </summary>
internal sealed class BrokerAccess(DeviceAccountDirectory accounts, IOptions<MqttOptions> options)
{
    private readonly string _prefix = options.Value.TopicPrefix;
    private readonly byte[]? _plantUser = Bytes(options.Value.EmbeddedBroker.Username);
    private readonly byte[]? _plantPassword = Bytes(options.Value.EmbeddedBroker.Password);

    public bool SignInRequired => _plantUser is not null || accounts.HasAccounts;

    /// <summary>The principal for these credentials, or null when the client is refused.</summary>
    public BrokerPrincipal? SignIn(string? userName, byte[]? password)
    {
        if (string.IsNullOrEmpty(userName))
        {
            return SignInRequired ? null : BrokerPrincipal.Anonymous;
        }

        var secret = password ?? [];
        if (_plantUser is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(userName), _plantUser))
        {
            return CryptographicOperations.FixedTimeEquals(secret, _plantPassword) ? BrokerPrincipal.PlantAccount : null;
        }

        var device = accounts.Find(userName);
        return DeviceSecret.Matches(device, secret) ? BrokerPrincipal.ForDevice(device!) : null;
    }

    /// <summary>False once the principal's sign-in would be refused: its account was deleted or re-issued, or credentials now exist.</summary>
    public bool StillSignedIn(BrokerPrincipal principal) => principal.Device switch
    {
        { } device => accounts.Find(device.Name) is { } current && current.Hash.AsSpan().SequenceEqual(device.Hash),
        null => !ReferenceEquals(principal, BrokerPrincipal.Anonymous) || !SignInRequired,
    };

    /// <summary>Whether the principal may publish to the topic; a client without one only while nobody needs to sign in.</summary>
    public bool MayPublish(BrokerPrincipal? principal, string topic) => principal switch
    {
        null => !SignInRequired,
        { Device: { } device } => TelemetryTopicAccess.MayPublish(_prefix, device.Site, topic),
        _ => true,
    };

    /// <summary>Whether the principal may subscribe to the filter; a client without one only while nobody needs to sign in.</summary>
    public bool MaySubscribe(BrokerPrincipal? principal, string filter) => principal switch
    {
        null => !SignInRequired,
        { Device: { } device } => TelemetryTopicAccess.MaySubscribe(_prefix, device.Site, filter),
        _ => true,
    };

    private static byte[]? Bytes(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);
}
