-- Sabot store, schema version 4: the store's identity and commit generation.
-- `generation` grows by one with every durable group commit; the snapshot file records the generation it
-- was written at, so a starting engine can tell a database that lost writes (truncated, restored from a
-- backup) from one that is newer than the snapshot. `store_id` ties snapshots and backups to their database.

CREATE TABLE IF NOT EXISTS store_meta (
    k VARCHAR(64) PRIMARY KEY,
    v VARCHAR(200) NOT NULL
);
INSERT INTO store_meta (k, v) SELECT 'generation', '0' WHERE NOT EXISTS (SELECT 1 FROM store_meta WHERE k = 'generation');
INSERT INTO store_meta (k, v) SELECT 'store_id', RANDOM_UUID() WHERE NOT EXISTS (SELECT 1 FROM store_meta WHERE k = 'store_id');
