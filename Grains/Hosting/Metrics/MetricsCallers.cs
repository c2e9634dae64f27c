using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MesOrleans.Hosting.Metrics;

/// <summary>Who may scrape <c>/metrics</c> without a token: loopback (a Prometheus on the same host) and <see cref="MetricsOptions.OpenTo"/>.</summary>
public sealed class MetricsCallers(IOptions<MetricsOptions> options)
{
    private readonly IReadOnlyList<IPNetwork> _open = [.. options.Value.OpenTo.Select(n => IPNetwork.Parse(n))];

    public bool AreOpenTo(HttpContext context) => IsOpenTo(context.Connection.RemoteIpAddress);

    public bool IsOpenTo(IPAddress? caller)
    {
        if (caller is null)
        {
            return false;
        }

        // Kestrel's dual-stack sockets report IPv4 callers as ::ffff:a.b.c.d.
        var address = caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller;
        return IPAddress.IsLoopback(address) || _open.Any(n => n.Contains(address));
    }
}
