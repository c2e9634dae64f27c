using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace MesOrleans.History.Retention;

/// <summary>
/// Retention on the cluster's PostgreSQL database: the cutoff in <c>mes_history_retention</c>, which the append-only
/// trigger of <c>mes_machine_event</c> honours (script 008).
/// </summary>
/// <remarks>
/// Every silo runs retention once a day, so several may prune at once. Each deleting transaction first takes a
/// transaction-level advisory lock without waiting (<c>pg_try_advisory_xact_lock</c>): while one silo deletes, another
/// finds the lock taken, deletes nothing and ends its pass, leaving the work to the first. No two silos' deletes ever
/// wait on each other's rows, and the deletes are idempotent, so a silo that takes over between two transactions just
/// carries on where the other stopped.
/// </remarks>
internal sealed class PostgresPruning(NpgsqlDataSource dataSource, IOptions<ClusterOptions> cluster) : IHistoryPruning
{
    // Any fixed number, other than the schema's: one pruning transaction at a time in the whole cluster.
    internal const long PruneLockKey = 0x4D45_535F_5052_554E;

    public async Task SetCutoffAsync(DateTimeOffset? cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(cutoff is null
            ? "DELETE FROM mes_history_retention;"
            : "INSERT INTO mes_history_retention (id, cutoff) VALUES (1, @cutoff) ON CONFLICT (id) DO UPDATE SET cutoff = excluded.cutoff;");
        if (cutoff is { } at)
        {
            command.Parameters.AddWithValue("cutoff", at.UtcTicks);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // A machine replays the events after its snapshot (the grain storage's state 'machine' of this service, whose JSON
    // names LastSequence) and its rollups follow the events after their cursor: only what both have behind them goes.
    // No snapshot, a cleared one, or one from before the event log (no LastSequence) keeps everything.
    public Task<int> DeleteEventsAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            DELETE FROM mes_machine_event WHERE seq IN (
                SELECT e.seq FROM mes_report_cursor AS c
                JOIN orleans_grain_state AS g ON g.grain_type = 'machine' AND g.service_id = @service AND g.grain_id_string = c.machine_id
                CROSS JOIN LATERAL (SELECT max(machine_seq) AS newest FROM mes_machine_event WHERE machine_id = c.machine_id) AS n
                JOIN mes_machine_event AS e ON e.machine_id = c.machine_id AND e.ts < @cutoff
                    AND e.machine_seq <= least(c.last_seq, coalesce((convert_from(g.payload, 'UTF8')::jsonb ->> 'LastSequence')::bigint, 0))
                    AND e.machine_seq < n.newest
                LIMIT @limit);
            """,
            cutoff,
            limit,
            cancellationToken);

    // Local days are at most 14 hours off UTC: a day two UTC dates before the cutoff's has ended before it everywhere.
    // Rows are picked by their physical address (ctid): the tables' keys do not lead with the column picked by.
    public Task<int> DeleteRollupsAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            DELETE FROM mes_report_piece WHERE ctid = ANY(ARRAY(SELECT ctid FROM mes_report_piece WHERE end_ts < @cutoff LIMIT @limit));
            DELETE FROM mes_report_time WHERE ctid = ANY(ARRAY(SELECT ctid FROM mes_report_time WHERE day < @day LIMIT @limit));
            DELETE FROM mes_report_count WHERE ctid = ANY(ARRAY(SELECT ctid FROM mes_report_count WHERE day < @day LIMIT @limit));
            DELETE FROM mes_report_day WHERE ctid = ANY(ARRAY(SELECT ctid FROM mes_report_day WHERE day < @day LIMIT @limit));
            """,
            cutoff,
            limit,
            cancellationToken);

    private async Task<int> ExecuteAsync(string sql, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var claim = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@key);", connection, transaction))
        {
            claim.Parameters.AddWithValue("key", PruneLockKey);
            if (!(bool)(await claim.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("cutoff", cutoff.UtcTicks);
        command.Parameters.AddWithValue("day", DateOnly.FromDateTime(cutoff.UtcDateTime).AddDays(-1).DayNumber);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("service", cluster.Value.ServiceId);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }
}
