using Npgsql;

namespace MesOrleans.Benchmarks.PgQueue;

/// <summary>
/// The schema Microsoft.Orleans.Streaming.AdoNet needs on PostgreSQL, written for this benchmark against the provider's
/// query contract (the keys it reads from OrleansQuery, their parameters and the columns it reads back). Only the keys
/// the benchmark exercises run what the provider's own script does (enqueue, dequeue with a visibility timeout,
/// confirmation); the dead-letter keys the provider insists on at start are here but never called by the benchmark, and
/// the dequeue skips the provider's every-10-seconds eviction check, so its numbers here are a little kinder than in use.
/// </summary>
internal static class OrleansStreamingContract
{
    private const string Schema =
        """
        CREATE SEQUENCE orleansstreammessagesequence;

        CREATE TABLE orleansstreammessage (
            serviceid  varchar(150) NOT NULL,
            providerid varchar(150) NOT NULL,
            queueid    varchar(150) NOT NULL,
            messageid  bigint       NOT NULL,
            dequeued   int          NOT NULL,
            visibleon  timestamp(6) NOT NULL,
            expireson  timestamp(6) NOT NULL,
            createdon  timestamp(6) NOT NULL,
            modifiedon timestamp(6) NOT NULL,
            payload    bytea        NOT NULL,
            PRIMARY KEY (serviceid, providerid, queueid, messageid));

        -- Each enqueue is its own statement and transaction; the id is taken from the sequence before the insert.
        CREATE FUNCTION bench_queue_stream_message(_service varchar, _provider varchar, _queue varchar, _payload bytea, _expiry int)
        RETURNS TABLE (serviceid varchar, providerid varchar, queueid varchar, messageid bigint) LANGUAGE sql AS $$
            INSERT INTO orleansstreammessage
            SELECT _service, _provider, _queue, nextval('orleansstreammessagesequence'), 0,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' + make_interval(secs => _expiry),
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', _payload
            RETURNING serviceid, providerid, queueid, messageid;
        $$;

        -- A dequeue hides the oldest visible messages for the visibility timeout and counts the attempt.
        CREATE FUNCTION bench_get_stream_messages(_service varchar, _provider varchar, _queue varchar, _max int,
            _attempts int, _visibility int, _removal int, _eviction int, _eviction_batch int)
        RETURNS SETOF orleansstreammessage LANGUAGE sql AS $$
            WITH batch AS (
                SELECT messageid FROM orleansstreammessage
                WHERE serviceid = _service AND providerid = _provider AND queueid = _queue AND dequeued < _attempts
                  AND visibleon <= now() AT TIME ZONE 'UTC' AND expireson > now() AT TIME ZONE 'UTC'
                ORDER BY serviceid, providerid, queueid, messageid
                LIMIT _max FOR UPDATE)
            UPDATE orleansstreammessage m
            SET dequeued = m.dequeued + 1, visibleon = now() AT TIME ZONE 'UTC' + make_interval(secs => _visibility),
                modifiedon = now() AT TIME ZONE 'UTC'
            FROM batch b
            WHERE m.serviceid = _service AND m.providerid = _provider AND m.queueid = _queue AND m.messageid = b.messageid
            RETURNING m.*;
        $$;

        -- A confirmation ("id:dequeued|id:dequeued") deletes the messages still at that attempt.
        CREATE FUNCTION bench_confirm_stream_messages(_service varchar, _provider varchar, _queue varchar, _items text)
        RETURNS TABLE (serviceid varchar, providerid varchar, queueid varchar, messageid bigint) LANGUAGE sql AS $$
            DELETE FROM orleansstreammessage m
            USING (SELECT split_part(item, ':', 1)::bigint AS id, split_part(item, ':', 2)::int AS attempt
                   FROM unnest(string_to_array(_items, '|')) AS item) i
            WHERE m.serviceid = _service AND m.providerid = _provider AND m.queueid = _queue
              AND m.messageid = i.id AND m.dequeued = i.attempt
            RETURNING m.serviceid, m.providerid, m.queueid, m.messageid;
        $$;

        CREATE TABLE orleansstreamdeadletter (LIKE orleansstreammessage, deadon timestamp(6) NOT NULL, removeon timestamp(6) NOT NULL,
            PRIMARY KEY (serviceid, providerid, queueid, messageid));

        -- A failed delivery is retried at once, or goes to the dead letters once out of attempts.
        CREATE PROCEDURE bench_fail_stream_message(_service varchar, _provider varchar, _queue varchar, _id bigint, _attempts int, _removal int)
        LANGUAGE sql AS $$
            UPDATE orleansstreammessage SET visibleon = now() AT TIME ZONE 'UTC'
            WHERE serviceid = _service AND providerid = _provider AND queueid = _queue AND messageid = _id AND dequeued < _attempts;
            WITH dead AS (
                DELETE FROM orleansstreammessage
                WHERE serviceid = _service AND providerid = _provider AND queueid = _queue AND messageid = _id AND dequeued >= _attempts
                RETURNING *)
            INSERT INTO orleansstreamdeadletter
            SELECT dead.*, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' + make_interval(secs => _removal) FROM dead;
        $$;

        CREATE PROCEDURE bench_evict_stream_messages(_service varchar, _provider varchar, _queue varchar, _batch int, _attempts int, _removal int)
        LANGUAGE sql AS $$
            WITH dead AS (
                DELETE FROM orleansstreammessage m
                WHERE (m.serviceid, m.providerid, m.queueid, m.messageid) IN (
                    SELECT serviceid, providerid, queueid, messageid FROM orleansstreammessage
                    WHERE serviceid = _service AND providerid = _provider AND queueid = _queue AND visibleon <= now() AT TIME ZONE 'UTC'
                      AND (dequeued >= _attempts OR expireson <= now() AT TIME ZONE 'UTC')
                    ORDER BY messageid LIMIT _batch FOR UPDATE)
                RETURNING m.*)
            INSERT INTO orleansstreamdeadletter
            SELECT dead.*, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' + make_interval(secs => _removal) FROM dead;
        $$;

        CREATE PROCEDURE bench_evict_stream_dead_letters(_service varchar, _provider varchar, _queue varchar, _batch int)
        LANGUAGE sql AS $$
            DELETE FROM orleansstreamdeadletter
            WHERE (serviceid, providerid, queueid, messageid) IN (
                SELECT serviceid, providerid, queueid, messageid FROM orleansstreamdeadletter
                WHERE serviceid = _service AND providerid = _provider AND queueid = _queue AND removeon <= now() AT TIME ZONE 'UTC'
                ORDER BY messageid LIMIT _batch FOR UPDATE);
        $$;

        INSERT INTO orleansquery (querykey, querytext) VALUES
        ('FailStreamMessageKey', 'CALL bench_fail_stream_message(@ServiceId, @ProviderId, @QueueId, @MessageId, @MaxAttempts, @RemovalTimeout)'),
        ('EvictStreamMessagesKey', 'CALL bench_evict_stream_messages(@ServiceId, @ProviderId, @QueueId, @BatchSize, @MaxAttempts, @RemovalTimeout)'),
        ('EvictStreamDeadLettersKey', 'CALL bench_evict_stream_dead_letters(@ServiceId, @ProviderId, @QueueId, @BatchSize)'),
        ('QueueStreamMessageKey', 'SELECT * FROM bench_queue_stream_message(@ServiceId, @ProviderId, @QueueId, @Payload, @ExpiryTimeout)'),
        ('GetStreamMessagesKey', 'SELECT * FROM bench_get_stream_messages(@ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts, @VisibilityTimeout, @RemovalTimeout, @EvictionInterval, @EvictionBatchSize)'),
        ('ConfirmStreamMessagesKey', 'SELECT * FROM bench_confirm_stream_messages(@ServiceId, @ProviderId, @QueueId, @Items)');
        """;

    public static async Task ApplyAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Schema, connection);
        await command.ExecuteNonQueryAsync();
    }
}
