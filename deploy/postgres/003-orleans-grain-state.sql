-- Grain state (Microsoft.Orleans.Persistence.AdoNet), the "mes" storage of a cluster: one row per grain and state
-- type, the state as the silo serialized it (JSON without type names) and a version that is the state's ETag.
--
-- Optimistic concurrency: a write names the version its activation read, and changes the row only if the row is
-- still at that version; a first write inserts only if no row exists. Otherwise it returns no version and Orleans
-- raises InconsistentStateException in the stale activation instead of overwriting newer state.
--
-- A grain is identified by the provider's parts of its id: 64-bit halves (integer and GUID keys), a string
-- (string keys, or the extension of a compound key) and the grain type. The two hashes only narrow the search:
-- every query compares the parts themselves, so colliding hashes never mix two grains.

CREATE TABLE orleans_grain_state
(
    service_id       text        NOT NULL,
    grain_type_hash  integer     NOT NULL,
    grain_type       text        NOT NULL,
    grain_id_hash    integer     NOT NULL,
    grain_id_n0      bigint      NOT NULL,
    grain_id_n1      bigint      NOT NULL,
    grain_id_string  text        NULL,     -- null for integer and GUID keys without an extension
    payload          bytea       NULL,     -- null once the state was cleared; the version lives on
    version          integer     NOT NULL,
    modified_at      timestamptz NOT NULL DEFAULT now(),
    -- NULLS NOT DISTINCT (PostgreSQL 15): two rows for the same grain without a string part are a duplicate.
    CONSTRAINT orleans_grain_state_grain UNIQUE NULLS NOT DISTINCT
        (grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1, grain_type, grain_id_string)
);

-- The version after v: it wraps before the integer overflows, so a grain written every second still stores after
-- 68 years; the new value only has to differ from the one the writer named.
CREATE FUNCTION orleans_grain_state_next_version(v integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN CASE WHEN v = 2147483647 THEN 1 ELSE v + 1 END;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_grain_state
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
  AND grain_id_string IS NOT DISTINCT FROM @GrainIdExtensionString
$sql$),

-- With a version: update that row at that version. Without one (the grain never stored): insert, unless a row
-- appeared meanwhile. No row returned means the write was stale.
('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE orleans_grain_state
    SET payload = @PayloadBinary, version = orleans_grain_state_next_version(version), modified_at = now()
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
      AND grain_id_string IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO orleans_grain_state (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0, grain_id_n1,
                                     grain_id_string, payload, version)
    SELECT @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1,
           @GrainIdExtensionString, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_grain_state_grain DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted
$sql$),

-- Clearing keeps the row and its version, so that a stale activation still cannot write over the cleared state.
('ClearStorageKey', $sql$
UPDATE orleans_grain_state
SET payload = NULL, version = orleans_grain_state_next_version(version), modified_at = now()
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
  AND grain_id_string IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING version
$sql$),

-- Used instead of clearing when the storage is configured to delete on clear: the row goes, and the answer is a
-- version other than the one named, which the provider takes as success.
('DeleteStorageKey', $sql$
DELETE FROM orleans_grain_state
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash AND service_id = @ServiceId
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
  AND grain_id_string IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING orleans_grain_state_next_version(version)
$sql$);
