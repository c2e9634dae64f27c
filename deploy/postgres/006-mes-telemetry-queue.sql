-- The telemetry stream's queue in cluster mode: silos insert what their broker bridge received (before acknowledging
-- it to the broker), pulling agents read it per partition, and a message is deleted only after its machine grain
-- appended what it caused. Ids come from one counter whose row stays locked until the inserting transaction commits,
-- so ids become visible in the order they were given: a reader never sees 11 before 10, and a machine grain can
-- recognise a message delivered again by its id. The counter starts at the creation time in microseconds, so a queue
-- made again numbers after the one it replaces.

CREATE TABLE IF NOT EXISTS mes_telemetry_counter (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last_id  bigint  NOT NULL
);
INSERT INTO mes_telemetry_counter (last_id)
VALUES ((extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS mes_telemetry_queue (
    partition   integer     NOT NULL,
    id          bigint      NOT NULL,
    stream_ns   text        NOT NULL,
    stream_key  text        NOT NULL,
    payload     bytea       NOT NULL,
    enqueued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partition, id)
);
