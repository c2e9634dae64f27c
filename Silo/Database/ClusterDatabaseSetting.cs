using MesOrleans.Cluster;
using Npgsql;

namespace MesOrleans.Silo.Database;

/// <summary>
/// The cluster database a command-line verb works on: <c>ConnectionStrings:Mes</c>, read like the silo's own settings
/// (appsettings, environment, <c>--ConnectionStrings:Mes=...</c>) and checked before anything connects.
/// </summary>
internal sealed record ClusterDatabaseSetting(IConfiguration Configuration, string ConnectionString, string Where)
{
    /// <summary>The setting, or null after telling <paramref name="error"/> what is missing or wrong.</summary>
    public static async Task<ClusterDatabaseSetting?> ReadAsync(string[] settings, TextWriter error)
    {
        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings }).Configuration;
        var key = "ConnectionStrings:" + MesClusterOptions.ConnectionStringName;
        var connectionString = configuration.GetConnectionString(MesClusterOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync($"{key} is not set: give the cluster's database, e.g. --{key}=\"Host=db1;Database=mes;Username=mes;Password=...\" or the environment variable ConnectionStrings__Mes.");
            return null;
        }

        try
        {
            var target = new NpgsqlConnectionStringBuilder(connectionString);
            return new ClusterDatabaseSetting(configuration, connectionString, $"PostgreSQL at {target.Host}:{target.Port}, database '{target.Database}'");
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"{key} is not a PostgreSQL connection string: {ex.Message}");
            return null;
        }
    }
}
