-- Work orders on the machines' event log: which order (and part) runs is an event of every machine of its line
-- (kind 'OrderChanged'), and every count carries the order and the ideal cycle time in force at its time, so that
-- OEE over any past window uses the cycle time that held then. Ideal cycle times are ticks (100 ns), as times are.

ALTER TABLE mes_machine_event ADD COLUMN IF NOT EXISTS order_number text;
ALTER TABLE mes_machine_event ADD COLUMN IF NOT EXISTS part_number text;
ALTER TABLE mes_machine_event ADD COLUMN IF NOT EXISTS ideal_cycle_time bigint;
CREATE INDEX IF NOT EXISTS ix_mes_machine_event_order ON mes_machine_event (order_number, machine_id, machine_seq) WHERE order_number IS NOT NULL;
