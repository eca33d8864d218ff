-- Sabot store, schema version 3: consumer groups (issue 12). Offsets, epochs and assignments are per
-- (consumer group, topic, partition): every agent consuming a topic is its own group and sees every
-- partition. Round 1 kept one shared assignment and one offset per (topic, partition), made by
-- whichever agent held the partition: no one group's progress, so they are not carried over (that
-- would make a group skip records it never processed). They are dropped, a note in the event
-- history says so, and each group starts at its topics' start. Offsets now live in group_offset
-- (committed_offset stays, empty, for older readers). Old assignment rows stay as history with grp
-- NULL ("shared, before consumer groups"); recovery reads only rows with a group.
-- Idempotent like V1: an interrupted migration is simply run again.

INSERT INTO event (seq, time_ms, kind, instance, text)
SELECT COALESCE((SELECT MAX(seq) FROM event), 0) + 1,
       CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT),
       'notice', NULL,
       'store upgraded to consumer groups: ' || CAST(COUNT(*) AS VARCHAR) || ' committed offsets of the shared-topic model were dropped '
       || '(they were no one group''s progress); each agent''s consumer group starts at its topics'' start'
FROM committed_offset
HAVING COUNT(*) > 0;

DELETE FROM committed_offset;

CREATE TABLE IF NOT EXISTS group_offset (
    grp           VARCHAR(250) NOT NULL,
    topic         VARCHAR(200) NOT NULL,
    part          INT NOT NULL,
    commit_offset BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL,
    PRIMARY KEY (grp, topic, part)
);

ALTER TABLE assignment ADD COLUMN IF NOT EXISTS grp VARCHAR(250);
CREATE INDEX IF NOT EXISTS assignment_grp_topic ON assignment(grp, topic, seq);
