using MesOrleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace MesOrleans.Hosting.Health;

/// <summary>The database this process writes or reads answers: the cluster's PostgreSQL, or the standalone <c>mes.db</c>.</summary>
internal sealed class DatabaseCheck(IServiceProvider services) : IHealthCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        try
        {
            if (services.GetService<NpgsqlDataSource>() is { } postgres)
            {
                await using var command = postgres.CreateCommand("SELECT 1;");
                await command.ExecuteScalarAsync(patience.Token);
                return HealthCheckResult.Healthy("PostgreSQL answers");
            }

            if (services.GetService<MesDatabase>() is { } sqlite)
            {
                await using var connection = await sqlite.OpenReadConnectionAsync(patience.Token);
                return HealthCheckResult.Healthy("mes.db opens");
            }

            return HealthCheckResult.Healthy("no database in this process");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", exception);
        }
    }
}
