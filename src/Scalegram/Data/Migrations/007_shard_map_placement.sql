-- Shard placement recorded in the data itself: each store lists the logical shards it owns (and its
-- own name), written on first start from the configured store list. A later start whose store list
-- places any shard elsewhere refuses to run instead of sending those users to an empty store.
CREATE TABLE IF NOT EXISTS shard_map (
    logical_shard INTEGER PRIMARY KEY,
    store         TEXT    NOT NULL,
    recorded_at   BIGINT  NOT NULL
);
