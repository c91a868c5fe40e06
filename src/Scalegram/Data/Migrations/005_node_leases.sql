-- Node-ID leases: each process that mints IDs holds one of 32 node IDs (the top 5 bits of the
-- 10-bit sequence field), so two processes never mint the same ID. Only the directory store's
-- table is used (the other stores get an empty twin: migrations run on every store).
--   holder      the holding's token (NULL when free), holder_name the host/PID it belongs to;
--   fence_ms    the last millisecond (ID time, ms since 2025-01-01 by the holder's clock) the
--               holder may mint in: a new holder mints only after it, whatever the clocks say;
--   expires_at  when the holding ends unless renewed (Unix ms by the database's clock).
CREATE TABLE IF NOT EXISTS node_leases (
    node_id     BIGINT PRIMARY KEY,
    holder      TEXT   NULL,
    holder_name TEXT   NULL,
    fence_ms    BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    taken_at    BIGINT NULL
);

INSERT INTO node_leases (node_id, fence_ms, expires_at) VALUES
    (0, -1, 0),
    (1, -1, 0),
    (2, -1, 0),
    (3, -1, 0),
    (4, -1, 0),
    (5, -1, 0),
    (6, -1, 0),
    (7, -1, 0),
    (8, -1, 0),
    (9, -1, 0),
    (10, -1, 0),
    (11, -1, 0),
    (12, -1, 0),
    (13, -1, 0),
    (14, -1, 0),
    (15, -1, 0),
    (16, -1, 0),
    (17, -1, 0),
    (18, -1, 0),
    (19, -1, 0),
    (20, -1, 0),
    (21, -1, 0),
    (22, -1, 0),
    (23, -1, 0),
    (24, -1, 0),
    (25, -1, 0),
    (26, -1, 0),
    (27, -1, 0),
    (28, -1, 0),
    (29, -1, 0),
    (30, -1, 0),
    (31, -1, 0);
