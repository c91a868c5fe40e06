-- Sharded like counters (docs/caching.md, "Hot keys"). Written once for both engines.
--   like_counters  a photo's like count is the SUM of its rows: each like or unlike adds +1 or -1 to one of
--                  a few slots chosen at random, so likes on a hot photo spread over several rows instead of
--                  queueing on one row's lock; reading the count sums a handful of rows, not COUNT(*) of likes.
--                  On the photo's shard, beside the likes table (which stays the truth of who liked what).
CREATE TABLE IF NOT EXISTS like_counters (
    photo_id BIGINT  NOT NULL,
    slot     INTEGER NOT NULL,
    n        BIGINT  NOT NULL,
    PRIMARY KEY (photo_id, slot)
);

INSERT INTO like_counters (photo_id, slot, n)
SELECT photo_id, 0, COUNT(*) FROM likes WHERE 1 = 1 GROUP BY photo_id
ON CONFLICT (photo_id, slot) DO NOTHING;
