-- A machine's recent events are read by their per-machine sequence number (the unique index on machine_id,
-- machine_seq), which orders them as they were recorded: the index by recording time only cost every append a write.

DROP INDEX IF EXISTS ix_mes_machine_event_machine_recorded;
