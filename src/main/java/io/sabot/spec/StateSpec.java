package io.sabot.spec;

/**
 * An agent's state stores ({@code "state": {"backend": "memory" | "rocksdb", "checkpointIntervalMs": 60000}}):
 * a store per (consumer group, store name, partition), kept under the home with a changelog
 * (docs/state.md). {@code standbys}: instances of the group that keep a warm copy of each
 * partition's stores (0 or 1 are useful on one host; the placement names at most one per partition). Absent: the agent's state lives only in its process.
 */
public record StateSpec(String backend, long checkpointIntervalMs, int standbys) {
    /** Without standby replicas. */
    public StateSpec(String backend, long checkpointIntervalMs) {
        this(backend, checkpointIntervalMs, 0);
    }

    public static final String MEMORY = "memory";
    public static final String ROCKSDB = "rocksdb";
    public static final long DEFAULT_CHECKPOINT_MS = 60_000;
}
