-- Report rollups: each machine's event log filed by a projector that follows it per machine (its cursor is written in
-- the transaction that files what it read), as pieces of the machine's timeline after corrections and as cells of raw
-- time per state and reason, and of parts, per calendar segment (local day, shift occurrence, work or break or outside)
-- for the machine, its line and its site. Whether time was planned is decided when it is read, from the calendar and
-- the reason catalog as they are then. Times are UTC ticks and days are day numbers, as in the SQLite file.

CREATE TABLE IF NOT EXISTS mes_report_cursor (
    machine_id        text   PRIMARY KEY,
    last_seq          bigint NOT NULL,
    monitored_since   bigint,
    open_stop         text   NOT NULL,
    ideal_cycle_ticks bigint NOT NULL,
    micro_stop_ticks  bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS mes_report_piece (
    machine_id text   NOT NULL,
    start_ts   bigint NOT NULL,
    end_ts     bigint NOT NULL,
    state      text   NOT NULL,
    reason     text   NOT NULL,
    product    text   NOT NULL,
    stop_id    uuid   NOT NULL,
    stop_start bigint NOT NULL,
    stop_end   bigint NOT NULL,
    counted_at bigint,
    PRIMARY KEY (machine_id, start_ts)
);
CREATE INDEX IF NOT EXISTS ix_mes_report_piece_stop ON mes_report_piece (machine_id, stop_id);

CREATE TABLE IF NOT EXISTS mes_report_time (
    scope       text             NOT NULL,
    day         integer          NOT NULL,
    shift_start bigint           NOT NULL,
    kind        integer          NOT NULL,
    state       text             NOT NULL,
    reason      text             NOT NULL,
    minor       integer          NOT NULL,
    product     text             NOT NULL,
    shift_name  text             NOT NULL,
    ticks       bigint           NOT NULL,
    stops       bigint           NOT NULL,
    cycles      double precision NOT NULL,
    PRIMARY KEY (scope, day, shift_start, kind, state, reason, minor, product)
);

CREATE TABLE IF NOT EXISTS mes_report_count (
    scope            text    NOT NULL,
    day              integer NOT NULL,
    shift_start      bigint  NOT NULL,
    kind             integer NOT NULL,
    reason           text    NOT NULL,
    product          text    NOT NULL,
    shift_name       text    NOT NULL,
    total            bigint  NOT NULL,
    scrap            bigint  NOT NULL,
    scrap_entries    bigint  NOT NULL,
    ideal_ticks      bigint  NOT NULL,
    ideal_good_ticks bigint  NOT NULL,
    unvalued_total   bigint  NOT NULL,
    unvalued_good    bigint  NOT NULL,
    PRIMARY KEY (scope, day, shift_start, kind, reason, product)
);

CREATE TABLE IF NOT EXISTS mes_report_day (
    site   text    NOT NULL,
    day    integer NOT NULL,
    layout text    NOT NULL,
    PRIMARY KEY (site, day)
);

-- History is kept for a configurable time: events older than the cutoff may be deleted, and nothing else ever is.
CREATE TABLE IF NOT EXISTS mes_history_retention (
    id     integer PRIMARY KEY CHECK (id = 1),
    cutoff bigint  NOT NULL
);

CREATE OR REPLACE FUNCTION mes_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.ts < coalesce((SELECT cutoff FROM mes_history_retention WHERE id = 1), -9223372036854775808) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: only events older than the retention period are deleted', TG_TABLE_NAME;
END $$;
CREATE OR REPLACE TRIGGER mes_machine_event_append_only BEFORE UPDATE OR DELETE ON mes_machine_event
    FOR EACH ROW EXECUTE FUNCTION mes_refuse_event_change();
