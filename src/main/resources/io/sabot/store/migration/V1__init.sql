-- Sabot store, schema version 1. Statements are idempotent (IF NOT EXISTS) because H2 commits
-- each DDL statement on its own: a migration interrupted half-way is simply run again.
-- Times are epoch milliseconds (BIGINT *_ms), span times epoch nanoseconds (*_ns).
-- Append-only tables have a `seq` key: insertion order, dense, assigned by the journal writer (the only
-- writer). Not IDENTITY: H2 persists an identity sequence with a commit of its own every CACHE values,
-- which made batched inserts ~10x slower.

CREATE TABLE IF NOT EXISTS agent_spec (
    name        VARCHAR(200) PRIMARY KEY,
    spec_json   CHARACTER LARGE OBJECT NOT NULL,
    updated_ms  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS desired_state (
    agent       VARCHAR(200) PRIMARY KEY,
    running     BOOLEAN NOT NULL,
    concurrency INT NOT NULL,
    updated_ms  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS instance (
    id               VARCHAR(220) PRIMARY KEY,
    agent            VARCHAR(200) NOT NULL,
    idx              INT NOT NULL,
    pid              BIGINT,
    process_start_ms BIGINT,
    state            VARCHAR(32) NOT NULL,
    updated_ms       BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS instance_agent ON instance(agent);

CREATE TABLE IF NOT EXISTS transition (
    seq         BIGINT PRIMARY KEY,
    time_ms     BIGINT NOT NULL,
    instance    VARCHAR(220) NOT NULL,
    from_state  VARCHAR(32),
    to_state    VARCHAR(32) NOT NULL,
    cause       VARCHAR(200),
    exit_code   INT,
    signal      VARCHAR(32),
    reason      VARCHAR(8000),
    trace_id    VARCHAR(32)
);
CREATE INDEX IF NOT EXISTS transition_instance ON transition(instance, seq);
CREATE INDEX IF NOT EXISTS transition_time ON transition(time_ms);

CREATE TABLE IF NOT EXISTS lifecycle_result (
    seq         BIGINT PRIMARY KEY,
    time_ms     BIGINT NOT NULL,
    op          VARCHAR(64) NOT NULL,
    instance    VARCHAR(220) NOT NULL,
    success     BOOLEAN NOT NULL,
    prev_state  VARCHAR(32),
    new_state   VARCHAR(32),
    duration_ns BIGINT NOT NULL,
    error       VARCHAR(8000),
    trace_id    VARCHAR(32)
);
CREATE INDEX IF NOT EXISTS lifecycle_result_instance ON lifecycle_result(instance, seq);
CREATE INDEX IF NOT EXISTS lifecycle_result_time ON lifecycle_result(time_ms);

-- subject: an instance id or 'host'; resolution: seconds per sample (1 raw, 60 downsampled)
CREATE TABLE IF NOT EXISTS metric_sample (
    subject     VARCHAR(220) NOT NULL,
    ts_ms       BIGINT NOT NULL,
    cpu         DOUBLE PRECISION NOT NULL,
    rss         BIGINT NOT NULL,
    threads     INT NOT NULL,
    resolution  INT NOT NULL
);
CREATE INDEX IF NOT EXISTS metric_subject_ts ON metric_sample(subject, ts_ms);
CREATE INDEX IF NOT EXISTS metric_resolution_ts ON metric_sample(resolution, ts_ms);

-- owners_json: JSON array indexed by partition number, each an instance id or null
CREATE TABLE IF NOT EXISTS assignment (
    seq         BIGINT PRIMARY KEY,
    topic       VARCHAR(200) NOT NULL,
    epoch       BIGINT NOT NULL,
    strategy    VARCHAR(64),
    reason      VARCHAR(8000),
    owners_json CHARACTER LARGE OBJECT NOT NULL,
    moved       INT NOT NULL,
    time_ms     BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS assignment_topic ON assignment(topic, seq);

CREATE TABLE IF NOT EXISTS committed_offset (
    topic         VARCHAR(200) NOT NULL,
    part          INT NOT NULL,
    commit_offset BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL,
    PRIMARY KEY (topic, part)
);

CREATE TABLE IF NOT EXISTS span (
    seq             BIGINT PRIMARY KEY,
    trace_id        VARCHAR(32) NOT NULL,
    span_id         VARCHAR(16) NOT NULL,
    parent_span_id  VARCHAR(16),
    root            BOOLEAN NOT NULL,
    name            VARCHAR(1000) NOT NULL,
    start_ns        BIGINT NOT NULL,
    duration_ns     BIGINT NOT NULL,
    status          VARCHAR(8) NOT NULL,
    attributes_json VARCHAR(100000) NOT NULL
);
CREATE INDEX IF NOT EXISTS span_trace ON span(trace_id);
CREATE INDEX IF NOT EXISTS span_root_start ON span(root, start_ns);

CREATE TABLE IF NOT EXISTS event (
    seq         BIGINT PRIMARY KEY,
    time_ms     BIGINT NOT NULL,
    kind        VARCHAR(64) NOT NULL,
    instance    VARCHAR(220),
    text        VARCHAR(8000) NOT NULL
);
CREATE INDEX IF NOT EXISTS event_instance ON event(instance, seq);
CREATE INDEX IF NOT EXISTS event_time ON event(time_ms);
