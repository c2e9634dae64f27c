using MesOrleans.Cluster;
using MesOrleans.Silo.Database;
using Npgsql;

namespace MesOrleans.Silo.Migration;

/// <summary>
/// The <c>migrate</c> verb of the silo: copies a standalone installation's <c>mes.db</c> (grain state, the machines'
/// event log with their per-machine numbers, the telemetry watermarks) into the cluster's PostgreSQL of
/// <c>ConnectionStrings:Mes</c>, where the silos read them. The database needs the schema (<c>db init</c>) and no
/// silos running yet. It only adds what is missing: run it again after an interruption and it completes the copy;
/// run it once more and it copies nothing.
/// </summary>
internal static class MigrateCommand
{
    public const int Failed = 1;
    public const int Usage = 2;

    private const int EventBatch = 10_000;

    private const string UsageText = """
        usage: Silo migrate --from <standalone mes.db> [--ConnectionStrings:Mes=<connection string>]
          copies grain state, the event log and the telemetry watermarks of a standalone installation (stopped) into
          the cluster's PostgreSQL (schema applied with 'db init', no silos running); safe to run again
        """;

    public static bool Matches(string[] args) => args is ["migrate", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args is not ["migrate", "--from", var from, .. var settings] || string.IsNullOrWhiteSpace(from) || from.StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync(UsageText);
            return Usage;
        }

        if (await ClusterDatabaseSetting.ReadAsync(settings, error) is not { } database)
        {
            return Usage;
        }

        var (configuration, connectionString, where) = database;
        var cluster = configuration.GetSection(MesClusterOptions.SectionName).Get<MesClusterOptions>() ?? new MesClusterOptions();
        var source = Path.GetFullPath(from);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var target = new ClusterDatabase(dataSource, cluster.ServiceId);
            await target.CheckReadyAsync(cluster.ClusterId, cancellationToken);
            await using var standalone = await StandaloneDatabase.OpenAsync(source, cancellationToken);
            var watermarks = await standalone.WatermarksAsync(cancellationToken);
            if (await standalone.UndeliveredTelemetryAsync(watermarks, cancellationToken) is > 0 and var undelivered)
            {
                await error.WriteLineAsync(
                    $"{undelivered} telemetry messages in the queue beside {source} are not applied yet. Start the standalone app once more without devices until they are, stop it, and migrate again.");
                return Failed;
            }

            await output.WriteLineAsync($"migrating {source} into {where} (service id '{cluster.ServiceId}')");
            long events = 0, eventsThere = 0;
            await foreach (var batch in standalone.EventsAsync(EventBatch, cancellationToken))
            {
                var added = await target.AddEventsAsync(batch, cancellationToken);
                events += added;
                eventsThere += batch.Count - added;
            }

            await output.WriteLineAsync($"machine events: {events} copied, {eventsThere} already there");
            var marks = await target.AddWatermarksAsync(watermarks, cancellationToken);
            await output.WriteLineAsync($"telemetry watermarks: {marks} copied, {watermarks.Count - marks} already there");

            long states = 0, statesThere = 0, statesKept = 0;
            await foreach (var state in standalone.GrainStatesAsync(cancellationToken))
            {
                var (added, same) = await target.AddGrainStateAsync(state, cancellationToken);
                states += added ? 1 : 0;
                statesThere += !added && same ? 1 : 0;
                statesKept += !added && !same ? 1 : 0;
            }

            await output.WriteLineAsync($"grain state: {states} copied, {statesThere} already there"
                + (statesKept > 0 ? $", {statesKept} left as the cluster has them (they differ from {Path.GetFileName(source)})" : ""));
            await output.WriteLineAsync(events + marks + states == 0 ? "nothing to copy: the migration is complete." : "done.");
            return 0;
        }
        catch (MigrationException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return Failed;
        }
        catch (PostgresException ex)
        {
            await error.WriteLineAsync($"{where} refused: {ex.MessageText} (SQLSTATE {ex.SqlState}). Run migrate again once fixed: it continues where it stopped.");
            return Failed;
        }
        catch (NpgsqlException ex)
        {
            await error.WriteLineAsync($"Cannot reach {where}: {ex.InnerException?.Message ?? ex.Message}. Run migrate again once it answers: it continues where it stopped.");
            return Failed;
        }
    }
}
