-- The MES event log on PostgreSQL: every machine event, numbered per machine, append-only; and each machine's
-- telemetry watermark (counter cursor, last queue message applied), written in the same transaction as its events.
-- Times are UTC ticks (100 ns), as .NET keeps them, so that windows compare exactly as in the standalone SQLite file.

CREATE TABLE IF NOT EXISTS mes_machine_event (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          uuid   NOT NULL UNIQUE,
    machine_id  text   NOT NULL,
    machine_seq bigint NOT NULL,
    kind        text   NOT NULL,
    ts          bigint NOT NULL,
    recorded_at bigint NOT NULL,
    source      text   NOT NULL,
    state       text,
    reason_code text,
    total_delta bigint NOT NULL DEFAULT 0,
    scrap_delta bigint NOT NULL DEFAULT 0,
    refers_to   uuid,
    actor       text,
    note        text,
    CONSTRAINT ux_mes_machine_event_number UNIQUE (machine_id, machine_seq)
);
CREATE INDEX IF NOT EXISTS ix_mes_machine_event_machine_ts ON mes_machine_event (machine_id, ts);
CREATE INDEX IF NOT EXISTS ix_mes_machine_event_refers_to ON mes_machine_event (refers_to) WHERE refers_to IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_mes_machine_event_machine_recorded ON mes_machine_event (machine_id, recorded_at);

-- What happened is never edited or lost, not even by a mistaken statement.
CREATE OR REPLACE FUNCTION mes_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE OR REPLACE TRIGGER mes_machine_event_append_only BEFORE UPDATE OR DELETE ON mes_machine_event
    FOR EACH ROW EXECUTE FUNCTION mes_refuse_change();
CREATE OR REPLACE TRIGGER mes_machine_event_no_truncate BEFORE TRUNCATE ON mes_machine_event
    FOR EACH STATEMENT EXECUTE FUNCTION mes_refuse_change();

CREATE TABLE IF NOT EXISTS mes_telemetry_watermark (
    machine_id   text   PRIMARY KEY,
    payload      text   NOT NULL,
    queue_offset bigint NOT NULL
);
