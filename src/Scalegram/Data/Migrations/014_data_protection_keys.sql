-- Data Protection keys in the database (docs/caching.md, "What Redis holds"). Written once for both engines.
--   data_protection_keys  the XML key ring every web node shares, on the directory store: cookies and
--                         antiforgery tokens stay valid across a Redis failover, flush or restart (Redis
--                         holds only what can be rebuilt). One row per key, never updated (the ring only grows;
--                         Data Protection revokes a key by adding a revocation element).
CREATE TABLE IF NOT EXISTS data_protection_keys (
    name       TEXT   PRIMARY KEY,
    xml        TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
