-- pg_auto_failover monitor settings for a failover in ~4-5 s instead of ~50 s (defaults in comments).
-- Measured here (kill -9 of the primary's postgres and keeper, 3 nodes): unhealthy after ~2 s,
-- report_lsn/prepare_promotion ~1 s, then primary_demote_timeout, then the new primary is writable.
-- A shorter primary_demote_timeout does not risk acknowledged writes: with synchronous replication
-- (ANY 1) a cut-off old primary cannot complete a commit once its standbys follow the new primary.
ALTER SYSTEM SET pgautofailover.health_check_period = 1000;              -- 5000 ms
ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000;             -- 5000 ms
ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1;            -- 2
ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500;          -- 2000 ms
ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 1000; -- 20000 ms
ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 1000;           -- 30000 ms
SELECT pg_reload_conf();
