-- Reminders (Microsoft.Orleans.Reminders.AdoNet): durable timers that outlive activations and silos. Each silo reads
-- the reminders of its share of the hash ring; when a silo leaves, the others take its share from here.

CREATE TABLE orleans_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,  -- the grain's uniform hash as a signed integer: the ring position
    version       integer     NOT NULL,  -- the reminder's ETag
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminder_ring ON orleans_reminder (service_id, grain_hash);

-- A reminder under the column names the provider reads.
CREATE VIEW orleans_reminder_entry AS
SELECT service_id, grain_hash,
       grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminder;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $sql$
SELECT * FROM orleans_reminder_entry WHERE service_id = @ServiceId AND "GrainId" = @GrainId
$sql$),

('ReadReminderRowKey', $sql$
SELECT * FROM orleans_reminder_entry
WHERE service_id = @ServiceId AND "GrainId" = @GrainId AND "ReminderName" = @ReminderName
$sql$),

-- A range of the ring, (@BeginHash, @EndHash]. The provider compares the bounds as signed integers, as they are
-- stored, and picks this query when the range does not wrap ...
('ReadRangeRows1Key', $sql$
SELECT * FROM orleans_reminder_entry
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$sql$),

-- ... and this one when it wraps past the end (or covers the whole ring).
('ReadRangeRows2Key', $sql$
SELECT * FROM orleans_reminder_entry
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$sql$),

('UpsertReminderRowKey', $sql$
INSERT INTO orleans_reminder (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash,
    version = orleans_reminder.version + 1
RETURNING version AS "Version"
$sql$),

-- Only the version the caller read: a reminder re-registered meanwhile stays.
('DeleteReminderRowKey', $sql$
WITH removed AS (
    DELETE FROM orleans_reminder
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT count(*) > 0 FROM removed
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM orleans_reminder WHERE service_id = @ServiceId
$sql$);
