using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace MesOrleans.Mqtt;

/// <summary>
/// Reads a client's byte stream under MQTTnet's packet reader and refuses what MQTTnet would accept: a packet
/// larger than <see cref="EmbeddedBrokerOptions.MaxPacketSize"/> is refused from its length field, before MQTTnet
/// allocates its body; an MQTT 5 topic alias of 0, above the broker's maximum, or never set on this connection is a
/// protocol error (MQTTnet reads an alias of 0 as "none" and ignores unknown ones). It also notes whether an MQTT 5
/// DISCONNECT set a session expiry interval, which MQTTnet cannot tell from one of 0, and whether an MQTT 3.1.1
/// CONNECT came without a client id and without a clean session, which MQTTnet drops without the CONNACK it needs.
/// It reads ahead of MQTTnet, so that the small packets a gateway streams cost one read of the socket between them.
/// </summary>
internal sealed class PacketGuard(IMqttChannel inner, int maxPacketSize) : IMqttChannel
{
    private const byte ConnectType = 1;
    private const byte PublishType = 3;
    private const byte DisconnectType = 14;

    // MQTTnet reads a packet's fixed header and body with a read each: reading ahead what the socket already holds
    // serves a gateway's stream of small publishes from memory instead of two system calls per message.
    private const int ReadAheadSize = 8 * 1024;

    private readonly HashSet<ushort> _aliases = [];
    private readonly byte[] _readAhead = new byte[ReadAheadSize];
    private int _readAheadStart;
    private int _readAheadEnd;

    private Part _part;
    private byte _fixedHeader;
    private int _length;
    private int _lengthBytes;
    private int _bodyLeft;

    // Where the body of an MQTT 5 PUBLISH or DISCONNECT landed, to read its properties once it is complete. MQTTnet
    // reads a body into one array in order; if it ever did not, the properties are simply not read here.
    private byte[]? _body;
    private int _bodyStart;
    private int _bodyNext;

    private enum Part
    {
        FixedHeader,
        Length,
        Body,
    }

    /// <summary>Set once the client connected with MQTT 5, whose packets carry properties.</summary>
    public bool IsMqtt5 { get; set; }

    /// <summary>True when the CONNECT was MQTT 3.1.1 without a client id and without a clean session.</summary>
    public bool ConnectsWithoutIdOrCleanSession { get; private set; }

    /// <summary>The session expiry interval the client's DISCONNECT set, or null when it set none.</summary>
    public uint? DisconnectSessionExpiry { get; private set; }

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public void Dispose() => inner.Dispose();

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_readAheadStart == _readAheadEnd)
        {
            if (count >= _readAhead.Length)
            {
                var direct = await inner.ReadAsync(buffer, offset, count, cancellationToken);
                Inspect(buffer, offset, direct);
                return direct;
            }

            var filled = await inner.ReadAsync(_readAhead, 0, _readAhead.Length, cancellationToken);
            if (filled <= 0)
            {
                return filled;
            }

            (_readAheadStart, _readAheadEnd) = (0, filled);
        }

        var read = Math.Min(count, _readAheadEnd - _readAheadStart);
        Buffer.BlockCopy(_readAhead, _readAheadStart, buffer, offset, read);
        _readAheadStart += read;
        Inspect(buffer, offset, read);
        return read;
    }

    private void Inspect(byte[] buffer, int offset, int count)
    {
        var i = offset;
        var end = offset + count;
        while (i < end)
        {
            switch (_part)
            {
                case Part.FixedHeader:
                    _fixedHeader = buffer[i++];
                    _length = 0;
                    _lengthBytes = 0;
                    _part = Part.Length;
                    break;
                case Part.Length:
                    var next = buffer[i++];
                    _length |= (next & 0x7F) << (7 * _lengthBytes++);
                    if ((next & 0x80) != 0)
                    {
                        // A fifth length byte is malformed; MQTTnet refuses it.
                        _part = _lengthBytes < 4 ? Part.Length : Part.FixedHeader;
                        break;
                    }

                    var size = 1 + _lengthBytes + _length;
                    if (size > maxPacketSize)
                    {
                        throw new PacketRefusedException(MqttDisconnectReasonCode.PacketTooLarge,
                            $"a packet of {size} bytes is larger than the broker accepts ({maxPacketSize} bytes)");
                    }

                    _bodyLeft = _length;
                    _body = null;
                    _part = _length == 0 ? Part.FixedHeader : Part.Body;
                    if (_length == 0 && _fixedHeader >> 4 == DisconnectType)
                    {
                        DisconnectSessionExpiry = null;
                    }

                    break;
                case Part.Body:
                    var take = Math.Min(_bodyLeft, end - i);
                    TrackBody(buffer, i, take);
                    i += take;
                    _bodyLeft -= take;
                    if (_bodyLeft == 0)
                    {
                        _part = Part.FixedHeader;
                        InspectBody();
                    }

                    break;
            }
        }
    }

    private void TrackBody(byte[] buffer, int start, int count)
    {
        var type = _fixedHeader >> 4;
        if (type != ConnectType && (!IsMqtt5 || type is not (PublishType or DisconnectType)))
        {
            return;
        }

        if (_body is null && _bodyLeft == _length)
        {
            (_body, _bodyStart, _bodyNext) = (buffer, start, start + count);
        }
        else if (ReferenceEquals(_body, buffer) && _bodyNext == start)
        {
            _bodyNext += count;
        }
        else
        {
            _body = [];
        }
    }

    private void InspectBody()
    {
        if (_body is not { Length: > 0 } body)
        {
            return;
        }

        _body = null;
        switch (_fixedHeader >> 4)
        {
            case ConnectType:
                ConnectsWithoutIdOrCleanSession = IsMqtt311WithoutIdOrCleanSession(body.AsSpan(_bodyStart, _length));
                return;
            case DisconnectType:
                DisconnectSessionExpiry = Properties.SessionExpiry(body.AsSpan(_bodyStart, _length));
                return;
        }

        var publish = new PublishHeader(body.AsSpan(_bodyStart, _length), qos: (_fixedHeader >> 1) & 3);
        if (publish.TopicAlias is not { } alias)
        {
            return;
        }

        if (alias == 0 || alias > BrokerConnection.TopicAliasMaximum)
        {
            throw new PacketRefusedException(MqttDisconnectReasonCode.TopicAliasInvalid,
                $"topic alias {alias} is outside 1 to {BrokerConnection.TopicAliasMaximum}");
        }

        if (publish.HasTopic)
        {
            _aliases.Add(alias);
        }
        else if (!_aliases.Contains(alias))
        {
            throw new PacketRefusedException(MqttDisconnectReasonCode.ProtocolError,
                $"topic alias {alias} was not set on this connection");
        }
    }

    // Protocol name, level 4, connect flags (bit 1: clean session), keep alive, then the client id's length.
    private static bool IsMqtt311WithoutIdOrCleanSession(ReadOnlySpan<byte> body)
    {
        if (body.Length < 2)
        {
            return false;
        }

        var at = 2 + (body[0] << 8 | body[1]);
        return body.Length >= at + 6 && body[at] == 4 && (body[at + 1] & 0x02) == 0 && body[at + 4] == 0 && body[at + 5] == 0;
    }

    /// <summary>The parts of an MQTT 5 PUBLISH variable header that matter here; malformed input reads as no alias.</summary>
    private readonly ref struct PublishHeader
    {
        private const byte TopicAliasId = 0x23;

        public PublishHeader(ReadOnlySpan<byte> body, int qos)
        {
            if (body.Length < 2)
            {
                return;
            }

            var topicLength = body[0] << 8 | body[1];
            HasTopic = topicLength > 0;
            var at = 2 + topicLength + (qos > 0 ? 2 : 0);
            if (at < body.Length && Properties.Find(body[at..], TopicAliasId) is { Length: 2 } alias)
            {
                TopicAlias = (ushort)(alias[0] << 8 | alias[1]);
            }
        }

        public bool HasTopic { get; }

        public ushort? TopicAlias { get; }
    }

    /// <summary>Reads MQTT 5 properties (a length, then identifier and value pairs); malformed input reads as absent.</summary>
    private static class Properties
    {
        private const byte SessionExpiryId = 0x11;

        /// <summary>A DISCONNECT's session expiry interval: after the reason code, in its properties.</summary>
        public static uint? SessionExpiry(ReadOnlySpan<byte> body) =>
            body.Length > 1 && Find(body[1..], SessionExpiryId) is { Length: 4 } value
                ? (uint)(value[0] << 24 | value[1] << 16 | value[2] << 8 | value[3])
                : null;

        /// <summary>The value of property <paramref name="id"/> in the properties that start <paramref name="span"/>.</summary>
        public static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> span, byte id)
        {
            var at = 0;
            if (!TryReadVariableInteger(span, ref at, out var length))
            {
                return default;
            }

            var end = Math.Min(span.Length, at + length);
            while (at < end)
            {
                var current = span[at++];
                var size = current switch
                {
                    0x01 => 1, // payload format indicator
                    0x02 or 0x11 => 4, // message expiry interval, session expiry interval
                    0x23 => 2, // topic alias
                    0x03 or 0x08 or 0x09 or 0x1C or 0x1F => 2 + Length16(span, at), // strings and binary data
                    0x26 => 2 + Length16(span, at) + 2 + Length16(span, at + 2 + Length16(span, at)), // user property
                    0x0B => VariableIntegerLength(span, at), // subscription identifier
                    _ => -1,
                };
                if (size < 0 || at + size > end)
                {
                    return default;
                }

                if (current == id)
                {
                    return span.Slice(at, size);
                }

                at += size;
            }

            return default;
        }

        private static int Length16(ReadOnlySpan<byte> span, int at) => at + 2 <= span.Length ? span[at] << 8 | span[at + 1] : span.Length;

        private static int VariableIntegerLength(ReadOnlySpan<byte> span, int at)
        {
            var start = at;
            return TryReadVariableInteger(span, ref at, out _) ? at - start : -1;
        }

        private static bool TryReadVariableInteger(ReadOnlySpan<byte> span, ref int at, out int value)
        {
            value = 0;
            for (var shift = 0; shift < 28 && at < span.Length; shift += 7)
            {
                var next = span[at++];
                value |= (next & 0x7F) << shift;
                if ((next & 0x80) == 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>A client broke a rule of the protocol or of the broker's limits; its connection is closed with this reason.</summary>
internal sealed class PacketRefusedException(MqttDisconnectReasonCode reason, string message) : MqttProtocolViolationException(message)
{
    public MqttDisconnectReasonCode Reason { get; } = reason;
}
