using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MesOrleans.Cluster;

/// <summary>Stops a cluster silo or client at start with every bad setting named by its configuration key.</summary>
internal sealed class MesClusterOptionsValidator : IValidateOptions<MesClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, MesClusterOptions options)
    {
        var failures = new List<string>();
        var key = "ConnectionStrings:" + MesClusterOptions.ConnectionStringName;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{key} must name the cluster's PostgreSQL database, e.g. Host=db1;Database=mes;Username=mes;Password=...");
        }
        else
        {
            try
            {
                var parsed = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(parsed.Host))
                {
                    failures.Add($"{key} must name a Host.");
                }
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{key} is not a PostgreSQL connection string: {ex.Message}");
            }
        }

        CheckId(options.ClusterId, MesClusterOptions.SectionName + ":ClusterId", failures);
        CheckId(options.ServiceId, MesClusterOptions.SectionName + ":ServiceId", failures);
        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress) && !IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"{MesClusterOptions.SectionName}:AdvertisedAddress '{options.AdvertisedAddress}' is not an IP address.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckId(string? value, string key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 100 || value.Any(char.IsWhiteSpace))
        {
            failures.Add($"{key} must be a name of 1 to 100 characters without spaces.");
        }
    }
}
