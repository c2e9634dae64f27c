using System.Text;
using MesOrleans.Cluster;
using Npgsql;
using NpgsqlTypes;

namespace MesOrleans.Silo.Migration;

/// <summary>
/// The cluster's PostgreSQL as <c>migrate</c> writes it: what the silos would have written had the standalone
/// installation been a cluster from the start. Every write adds only what is missing, so a second run adds nothing
/// and an interrupted run is completed by the next; nothing the cluster wrote itself is ever overwritten.
/// </summary>
internal sealed class ClusterDatabase(NpgsqlDataSource dataSource, string serviceId)
{
    private const string Staging = "mes_migrate_staging";

    /// <exception cref="MigrationException">The schema is missing or not at this build's version, or silos are running.</exception>
    public async Task CheckReadyAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var version = new NpgsqlCommand("SELECT max(version) FROM mes_schema_version", connection))
        {
            int? current;
            try
            {
                current = await version.ExecuteScalarAsync(cancellationToken) as int?;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                current = null;
            }

            if (current != MesSchema.LatestVersion)
            {
                throw new MigrationException(
                    $"The database's schema is at version {current?.ToString() ?? "none"}; migrate needs version {MesSchema.LatestVersion}. Run 'Silo db init' first.");
            }
        }

        await using var active = new NpgsqlCommand("SELECT count(*) FROM orleans_membership WHERE deployment_id = @cluster AND status = 3", connection);
        active.Parameters.AddWithValue("cluster", clusterId);
        if ((long)(await active.ExecuteScalarAsync(cancellationToken))! > 0)
        {
            throw new MigrationException(
                $"Silos of cluster '{clusterId}' are running on this database. Migrate before the first silo starts: their grains would not see the copied state.");
        }
    }

    /// <summary>Adds the events the log does not have; returns how many.</summary>
    /// <exception cref="MigrationException">The log holds other events under the same machine numbers.</exception>
    public async Task<long> AddEventsAsync(IReadOnlyList<StandaloneEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction,
            $"""
            CREATE TEMP TABLE IF NOT EXISTS {Staging} (
                n int, id uuid, machine_id text, machine_seq bigint, kind text, ts bigint, recorded_at bigint, source text,
                state text, reason_code text, total_delta bigint, scrap_delta bigint, refers_to uuid, actor text, note text
            ) ON COMMIT DELETE ROWS;
            """,
            cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {Staging} (n, id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            for (var n = 0; n < events.Count; n++)
            {
                var e = events[n];
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(n, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(e.MachineId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(e.MachineSeq, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(e.Kind, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(e.Timestamp, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(e.RecordedAt, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(e.Source, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, e.State, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, e.ReasonCode, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(e.TotalDelta, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(e.ScrapDelta, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(copy, e.RefersTo, NpgsqlDbType.Uuid, cancellationToken);
                await WriteNullableAsync(copy, e.Actor, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, e.Note, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        long added;
        await using (var insert = new NpgsqlCommand(
            $"""
            INSERT INTO mes_machine_event (id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note)
            SELECT id, machine_id, machine_seq, kind, ts, recorded_at, source, state, reason_code, total_delta, scrap_delta, refers_to, actor, note
            FROM {Staging} ORDER BY n
            ON CONFLICT DO NOTHING;
            """,
            connection,
            transaction))
        {
            added = await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        // An event skipped above must be the same event copied by an earlier run, not another one under its number.
        await using (var check = new NpgsqlCommand(
            $"""
            SELECT s.machine_id, s.machine_seq FROM {Staging} s
            JOIN mes_machine_event e ON e.machine_id = s.machine_id AND e.machine_seq = s.machine_seq
            WHERE e.id <> s.id
            UNION ALL
            SELECT s.machine_id, s.machine_seq FROM {Staging} s
            JOIN mes_machine_event e ON e.id = s.id
            WHERE e.machine_id <> s.machine_id OR e.machine_seq <> s.machine_seq
            LIMIT 1;
            """,
            connection,
            transaction))
        await using (var reader = await check.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                throw new MigrationException(
                    $"The cluster's event log already holds another event as number {reader.GetInt64(1)} of {reader.GetString(0)}: " +
                    "this database has a history of its own. Migrate into a database made for it (createdb, then 'Silo db init').");
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// Adds the watermarks the cluster does not have or has older, and makes the cluster's telemetry queue number its
    /// messages after every copied watermark's queue number, so that no new message is mistaken for one applied
    /// before. Returns how many watermarks were written.
    /// </summary>
    public async Task<long> AddWatermarksAsync(IReadOnlyList<StandaloneWatermark> watermarks, CancellationToken cancellationToken)
    {
        if (watermarks.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long written;
        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO mes_telemetry_watermark (machine_id, payload, queue_offset)
            SELECT * FROM unnest(@machines, @payloads, @offsets)
            ON CONFLICT (machine_id) DO UPDATE SET payload = excluded.payload, queue_offset = excluded.queue_offset
            WHERE excluded.queue_offset > mes_telemetry_watermark.queue_offset;
            """,
            connection,
            transaction))
        {
            upsert.Parameters.AddWithValue("machines", watermarks.Select(w => w.MachineId).ToArray());
            upsert.Parameters.AddWithValue("payloads", watermarks.Select(w => w.Json).ToArray());
            upsert.Parameters.AddWithValue("offsets", watermarks.Select(w => w.QueueOffset).ToArray());
            written = await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var counter = new NpgsqlCommand("UPDATE mes_telemetry_counter SET last_id = greatest(last_id, @highest);", connection, transaction))
        {
            counter.Parameters.AddWithValue("highest", watermarks.Max(w => w.QueueOffset));
            await counter.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>
    /// Adds a grain's state where the ADO.NET grain storage reads it, unless the grain has a row already. Returns
    /// whether it was added, and when not, whether the row there is the same state (copied by an earlier run).
    /// </summary>
    public async Task<(bool Added, bool Same)> AddGrainStateAsync(StandaloneGrainState state, CancellationToken cancellationToken)
    {
        var key = GrainStateKey.Of(state.GrainType, state.GrainKey, state.StateName);
        var payload = Encoding.UTF8.GetBytes(state.Json);
        await using var command = dataSource.CreateCommand(
            """
            WITH added AS (
                INSERT INTO orleans_grain_state (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_string, payload, version)
                VALUES (@service, @typeHash, @type, @idHash, @n0, @n1, @idString, @payload, 1)
                ON CONFLICT ON CONSTRAINT orleans_grain_state_grain DO NOTHING
                RETURNING 1
            )
            SELECT EXISTS (SELECT 1 FROM added),
                   (SELECT payload = @payload FROM orleans_grain_state
                    WHERE grain_id_hash = @idHash AND grain_type_hash = @typeHash AND service_id = @service
                      AND grain_id_n0 = @n0 AND grain_id_n1 = @n1 AND grain_type = @type
                      AND grain_id_string IS NOT DISTINCT FROM @idString);
            """);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("typeHash", key.StateNameHash);
        command.Parameters.AddWithValue("type", key.StateName);
        command.Parameters.AddWithValue("idHash", key.GrainIdHash);
        command.Parameters.AddWithValue("n0", key.GrainIdN0);
        command.Parameters.AddWithValue("n1", key.GrainIdN1);
        command.Parameters.Add(new NpgsqlParameter("idString", NpgsqlDbType.Text) { Value = (object?)key.GrainIdString ?? DBNull.Value });
        command.Parameters.AddWithValue("payload", payload);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetBoolean(0), !reader.IsDBNull(1) && reader.GetBoolean(1));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);
}
