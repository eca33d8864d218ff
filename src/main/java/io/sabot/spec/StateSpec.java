package io.sabot.spec;

/**
 * An agent's state stores ({@code "state": {"backend": "memory" | "rocksdb", "checkpointIntervalMs": 60000}}):
 * a store per (consumer group, store name, partition), kept under the home with a changelog
 * (docs/state.md). Absent: the agent's state lives only in its process.
 */
public record StateSpec(String backend, long checkpointIntervalMs) {
    public static final String MEMORY = "memory";
    public static final String ROCKSDB = "rocksdb";
    public static final long DEFAULT_CHECKPOINT_MS = 60_000;
}
