namespace MesOrleans.Mqtt;

/// <summary>
/// What a device account of one site may do with topics: publish only under <c>{prefix}/{site}/</c>, and subscribe
/// only to filters that cannot match another site's telemetry (<c>{prefix}/#</c> or <c>+/+/…</c> would).
/// Filters outside the telemetry prefix are the plant's own business and stay open to every account.
/// </summary>
internal static class TelemetryTopicAccess
{
    public static bool MayPublish(string prefix, string site, string topic) =>
        topic.Length > prefix.Length + site.Length + 2
        && topic.StartsWith(prefix, StringComparison.Ordinal)
        && topic[prefix.Length] == '/'
        && string.CompareOrdinal(topic, prefix.Length + 1, site, 0, site.Length) == 0
        && topic[prefix.Length + 1 + site.Length] == '/';

    public static bool MaySubscribe(string prefix, string site, string filter)
    {
        var levels = filter.Split('/');
        var prefixLevels = prefix.Split('/');
        for (var i = 0; i < prefixLevels.Length; i++)
        {
            if (i == levels.Length)
            {
                return true;
            }

            if (levels[i] == "#")
            {
                return false;
            }

            if (levels[i] != "+" && levels[i] != prefixLevels[i])
            {
                return true;
            }
        }

        // A filter that ends at the prefix or at the site level matches no telemetry topic; one that goes deeper
        // must name this site.
        var siteLevel = prefixLevels.Length;
        return levels.Length <= siteLevel + 1 && levels[^1] != "#" || levels[siteLevel] == site;
    }
}
