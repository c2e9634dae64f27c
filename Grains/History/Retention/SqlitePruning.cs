using MesOrleans.Storage;

namespace MesOrleans.History.Retention;

/// <summary>Retention on <c>mes.db</c>: the cutoff in <c>history_retention</c>, which the append-only trigger honours.</summary>
internal sealed class SqlitePruning(MesDatabase database) : IHistoryPruning
{
    public Task SetCutoffAsync(DateTimeOffset? cutoff, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            if (cutoff is { } at)
            {
                command.CommandText = "INSERT INTO history_retention (id, cutoff) VALUES (1, $cutoff) ON CONFLICT (id) DO UPDATE SET cutoff = excluded.cutoff;";
                command.Parameters.AddWithValue("$cutoff", at.UtcTicks);
            }
            else
            {
                command.CommandText = "DELETE FROM history_retention;";
            }

            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    // A machine replays the events after its snapshot (grain_state 'machine', LastSequence) and its rollups follow the
    // events after their cursor: only what both have behind them goes. No snapshot, or one from before the event log
    // (no LastSequence), keeps everything.
    public Task<int> DeleteEventsAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            DELETE FROM machine_event WHERE seq IN (
                SELECT e.seq FROM report_cursor AS c
                JOIN grain_state AS g ON g.state_name = 'machine' AND g.grain_id = c.machine_id
                JOIN machine_event AS e ON e.machine_id = c.machine_id AND e.ts < $cutoff
                    AND e.machine_seq <= min(c.last_seq, coalesce(json_extract(g.payload, '$.LastSequence'), 0))
                    AND e.machine_seq < (SELECT max(machine_seq) FROM machine_event WHERE machine_id = c.machine_id)
                LIMIT $limit);
            """,
            cutoff,
            limit,
            cancellationToken);

    // Local days are at most 14 hours off UTC: a day two UTC dates before the cutoff's has ended before it everywhere.
    public Task<int> DeleteRollupsAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            DELETE FROM report_piece WHERE (machine_id, start_ts) IN (SELECT machine_id, start_ts FROM report_piece WHERE end_ts < $cutoff LIMIT $limit);
            DELETE FROM report_time WHERE (scope, day, shift_start, kind, state, reason, minor, product) IN (
                SELECT scope, day, shift_start, kind, state, reason, minor, product FROM report_time WHERE day < $day LIMIT $limit);
            DELETE FROM report_count WHERE (scope, day, shift_start, kind, reason, product) IN (
                SELECT scope, day, shift_start, kind, reason, product FROM report_count WHERE day < $day LIMIT $limit);
            DELETE FROM report_day WHERE (site, day) IN (SELECT site, day FROM report_day WHERE day < $day LIMIT $limit);
            """,
            cutoff,
            limit,
            cancellationToken);

    private Task<int> ExecuteAsync(string sql, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$cutoff", cutoff.UtcTicks);
            command.Parameters.AddWithValue("$day", DateOnly.FromDateTime(cutoff.UtcDateTime).AddDays(-1).DayNumber);
            command.Parameters.AddWithValue("$limit", limit);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
