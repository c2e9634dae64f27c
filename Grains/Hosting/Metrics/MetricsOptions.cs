using System.Net;
using Microsoft.Extensions.Options;

namespace MesOrleans.Hosting.Metrics;

/// <summary>The <c>Mes:Metrics</c> section: the Prometheus endpoint and the Orleans Dashboard.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Mes:Metrics";

    /// <summary>Collect metrics and answer <c>GET /metrics</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose callers may scrape <c>/metrics</c> without a token, besides
    /// loopback, which always may: a Prometheus on another host of the plant network, or a cluster's pod network.
    /// </summary>
    public List<string> OpenTo { get; set; } = [];

    /// <summary>Host the Orleans Dashboard (grain calls, activations, silos) under <c>/orleans</c>, for admins.</summary>
    public bool Dashboard { get; set; } = true;
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var failures = options.OpenTo
            .Select((network, i) => (network, i))
            .Where(n => !IPNetwork.TryParse(n.network, out _))
            .Select(n => $"{MetricsOptions.SectionName}:OpenTo:{n.i} must be a network in CIDR notation, e.g. 10.0.0.0/8; it is '{n.network}'.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
