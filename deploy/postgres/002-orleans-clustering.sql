-- Cluster membership (Microsoft.Orleans.Clustering.AdoNet): which silos are in a cluster, their status and when
-- each last said it was alive. The web app, a pure client, finds its gateways here.
--
-- Every change to a silo's row moves its cluster's version on by one, in the same statement. A writer names the
-- version it last read; if another silo moved it on in between, the write changes nothing and reports false, and the
-- writer reads the table again. That is the optimistic concurrency the membership protocol is built on.

CREATE TABLE orleans_membership_version
(
    deployment_id text        PRIMARY KEY,  -- the Orleans cluster id
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation: the same address and port restarted is a new generation.
CREATE TABLE orleans_membership
(
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,   -- Orleans SiloStatus: 3 active, 6 dead
    proxy_port      integer     NOT NULL,   -- the gateway port clients connect to; 0 when the silo has none
    suspect_times   text        NULL,       -- who suspects this silo and since when, as Orleans formats it
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- A silo's row under the column names the provider reads.
CREATE VIEW orleans_membership_entry AS
SELECT deployment_id,
       address         AS "Address",
       port            AS "Port",
       generation      AS "Generation",
       silo_name       AS "SiloName",
       host_name       AS "HostName",
       status          AS "Status",
       proxy_port      AS "ProxyPort",
       suspect_times   AS "SuspectTimes",
       start_time      AS "StartTime",
       i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership;

-- Parameters are the provider's names (@DeploymentId, ...). Reads start from the version row, so that a cluster
-- without the silo asked for (or without any) still answers with its version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING deployment_id
)
SELECT count(*) > 0 FROM created
$sql$),

('MembershipReadAllKey', $sql$
SELECT v.version AS "Version", e.*
FROM orleans_membership_version v
LEFT JOIN orleans_membership_entry e ON e.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$sql$),

('MembershipReadRowKey', $sql$
SELECT v.version AS "Version", e.*
FROM orleans_membership_version v
LEFT JOIN orleans_membership_entry e
       ON e.deployment_id = v.deployment_id
      AND e."Address" = @Address AND e."Port" = @Port AND e."Generation" = @Generation
WHERE v.deployment_id = @DeploymentId
$sql$),

-- The version row is locked while the row is written: a second writer naming the same version waits, then finds
-- the version moved on and writes nothing.
('InsertMembershipKey', $sql$
WITH expected AS (
    SELECT deployment_id FROM orleans_membership_version
    WHERE deployment_id = @DeploymentId AND version = @Version
    FOR UPDATE
), inserted AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                    proxy_port, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
           @ProxyPort, @StartTime, @IAmAliveTime
    FROM expected
    ON CONFLICT (deployment_id, address, port, generation) DO NOTHING
    RETURNING deployment_id
), moved_on AS (
    UPDATE orleans_membership_version v SET version = v.version + 1, changed_at = now()
    FROM inserted
    WHERE v.deployment_id = inserted.deployment_id
    RETURNING v.version
)
SELECT count(*) > 0 FROM moved_on
$sql$),

('UpdateMembershipKey', $sql$
WITH expected AS (
    SELECT deployment_id FROM orleans_membership_version
    WHERE deployment_id = @DeploymentId AND version = @Version
    FOR UPDATE
), updated AS (
    UPDATE orleans_membership m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM expected
    WHERE m.deployment_id = expected.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING m.deployment_id
), moved_on AS (
    UPDATE orleans_membership_version v SET version = v.version + 1, changed_at = now()
    FROM updated
    WHERE v.deployment_id = updated.deployment_id
    RETURNING v.version
)
SELECT count(*) > 0 FROM moved_on
$sql$),

-- "I am alive" is a heartbeat, not a membership change: it leaves the version alone.
('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$sql$),

('GatewaysQueryKey', $sql$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$sql$),

-- Dead silos that have not been heard of since @IAmAliveTime; nobody's view of the living changes, so the version
-- stays.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
$sql$),

-- The whole cluster: its silos go with its version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$sql$);
