using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MesOrleans.Simulator;

/// <summary>An MQTT broker's TCP address, written <c>host:port</c>, <c>host</c> (port 1883) or <c>[::1]:1883</c>.</summary>
public readonly record struct BrokerEndpoint(string Host, int Port)
{
    /// <summary>The MQTT port without TLS.</summary>
    public const int DefaultPort = 1883;

    /// <summary>Parses an address; false when it is not one.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out BrokerEndpoint endpoint)
    {
        endpoint = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var host = text.Trim();
        var port = DefaultPort;
        var bracket = host.StartsWith('[') ? host.IndexOf(']', StringComparison.Ordinal) : -1;
        var colon = host.LastIndexOf(':');

        // A bare IPv6 address has colons of its own; only a bracketed one can be followed by a port.
        if (bracket > 0 ? colon > bracket : colon >= 0 && host.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            if (!int.TryParse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }

            host = host[..colon];
        }

        if (bracket > 0)
        {
            host = host[1..bracket];
        }

        if (host.Length == 0 || host.AsSpan().IndexOfAny("[] /") >= 0)
        {
            return false;
        }

        endpoint = new BrokerEndpoint(host, port);
        return true;
    }

    /// <summary>Parses an address, throwing <see cref="FormatException"/> when it is not one.</summary>
    public static BrokerEndpoint Parse(string text) =>
        TryParse(text, out var endpoint) ? endpoint : throw new FormatException($"'{text}' is not a broker address like 127.0.0.1:1883.");

    /// <inheritdoc />
    public override string ToString() =>
        Host.Contains(':')
            ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
