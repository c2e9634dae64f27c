using System.Collections.Concurrent;
using System.Collections.Immutable;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace MesOrleans.Mqtt;

/// <summary>
/// MQTT 5 shared subscriptions (<c>$share/{group}/{filter}</c>), which MQTTnet's server lacks: each message matching
/// a group's filter goes to one member of the group, taking turns and preferring members that are connected.
/// MQTTnet refuses <c>$share/</c> filters before any hook sees them, so each connection hands them over as
/// <c>$mes-share/{group}/{filter}</c>; MQTTnet keeps that in the member's session (so unsubscribing and persistent
/// sessions behave as usual, and no published topic matches it) and delivery is done here, into the member's queue.
/// </summary>
internal sealed class SharedSubscriptions(ClientQueues queues)
{
    private const string SharePrefix = "$share/";
    private const string HandedOverPrefix = "$mes-share/";

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, bool> _connected = new(StringComparer.Ordinal);

    // Copied on every change, so that delivery reads it without a lock.
    private ImmutableArray<ShareGroup> _groups = [];

    /// <summary>The name under which a connection hands a filter to MQTTnet: shared ones renamed, others as they are.</summary>
    public static string HandOver(string filter) =>
        filter.StartsWith(SharePrefix, StringComparison.Ordinal) ? HandedOverPrefix + filter[SharePrefix.Length..] : filter;

    /// <summary>True for a filter (or topic) that names a shared subscription as handed over.</summary>
    public static bool IsShared(string filter) => filter.StartsWith(HandedOverPrefix, StringComparison.Ordinal);

    /// <summary>Splits a handed-over shared filter; false when the group or the filter is missing or the group has wildcards.</summary>
    public static bool TryParse(string sharedFilter, out string group, out string filter)
    {
        var slash = sharedFilter.IndexOf('/', HandedOverPrefix.Length);
        group = slash < 0 ? "" : sharedFilter[HandedOverPrefix.Length..slash];
        filter = slash < 0 ? "" : sharedFilter[(slash + 1)..];
        return group.Length > 0 && filter.Length > 0 && group.IndexOfAny(['+', '#']) < 0;
    }

    public void Subscribe(string clientId, string sharedFilter, MqttQualityOfServiceLevel qos, MqttSessionStatus session)
    {
        if (!TryParse(sharedFilter, out var group, out var filter))
        {
            return;
        }

        lock (_gate)
        {
            var existing = _groups.FirstOrDefault(g => g.Name == group && g.Filter == filter);
            var member = new Member(clientId, qos, session);
            var members = (existing?.Members.RemoveAll(m => m.ClientId == clientId) ?? []).Add(member);
            _groups = (existing is null ? _groups : _groups.Remove(existing)).Add(new ShareGroup(group, filter, members));
        }
    }

    public void Unsubscribe(string clientId, string sharedFilter)
    {
        if (TryParse(sharedFilter, out var group, out var filter))
        {
            Remove(clientId, g => g.Name == group && g.Filter == filter);
        }
    }

    /// <summary>The client's session ended or started afresh: it belongs to no group any more.</summary>
    public void Forget(string clientId) => Remove(clientId, _ => true);

    public void Connected(string clientId) => _connected[clientId] = true;

    public void Disconnected(string clientId) => _connected.TryRemove(clientId, out _);

    /// <summary>Queues the message for one member of every group whose filter matches its topic.</summary>
    public void Deliver(MqttApplicationMessage message)
    {
        foreach (var group in _groups)
        {
            if (MqttTopicFilterComparer.Compare(message.Topic, group.Filter) == MqttTopicFilterCompareResult.IsMatch)
            {
                DeliverToOne(group, message);
            }
        }
    }

    private void DeliverToOne(ShareGroup group, MqttApplicationMessage message)
    {
        var start = (int)((uint)Interlocked.Increment(ref group.Turn) % (uint)group.Members.Length);
        var candidates = Enumerable.Range(0, group.Members.Length)
            .Select(i => group.Members[(start + i) % group.Members.Length])
            .OrderBy(m => _connected.ContainsKey(m.ClientId) ? 0 : 1);
        foreach (var member in candidates)
        {
            var copy = CopyFor(message, member.Qos);
            if (!queues.TryAdd(member.ClientId, copy))
            {
                continue;
            }

            try
            {
                if (member.Session.TryEnqueueApplicationMessage(copy, out _))
                {
                    return;
                }
            }
            catch (ObjectDisposedException)
            {
                // The member's session was just replaced by a clean start (which also cleared its count); another
                // member takes the message.
            }
        }
    }

    private void Remove(string clientId, Func<ShareGroup, bool> which)
    {
        lock (_gate)
        {
            _groups = _groups
                .Select(g => which(g) ? g with { Members = g.Members.RemoveAll(m => m.ClientId == clientId) } : g)
                .Where(g => g.Members.Length > 0)
                .ToImmutableArray();
        }
    }

    private static MqttApplicationMessage CopyFor(MqttApplicationMessage message, MqttQualityOfServiceLevel granted) => new()
    {
        Topic = message.Topic,
        Payload = message.Payload,
        QualityOfServiceLevel = granted < message.QualityOfServiceLevel ? granted : message.QualityOfServiceLevel,
        ContentType = message.ContentType,
        CorrelationData = message.CorrelationData,
        MessageExpiryInterval = message.MessageExpiryInterval,
        PayloadFormatIndicator = message.PayloadFormatIndicator,
        ResponseTopic = message.ResponseTopic,
        UserProperties = message.UserProperties,
    };

    private sealed record Member(string ClientId, MqttQualityOfServiceLevel Qos, MqttSessionStatus Session);

    private sealed record ShareGroup(string Name, string Filter, ImmutableArray<Member> Members)
    {
        // Whose turn it is; a field, so that delivery can advance it without a lock.
        public int Turn;
    }
}
