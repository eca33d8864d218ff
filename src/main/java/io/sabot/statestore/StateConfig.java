package io.sabot.statestore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * An agent process's state settings, from the environment the engine gives it ({@link Stores#env}):
 * the consumer group's state directory, the backend, the checkpoint interval. Without
 * {@code SABOT_STATE_DIR} stores are ephemeral (in memory, gone with the process or the partition).
 */
public record StateConfig(Path dir, String backend, long checkpointIntervalMs) {
    public static final long DEFAULT_CHECKPOINT_MS = 60_000;
    /** How long a new owner waits for the previous one to let go of a store. */
    public static final long LOCK_TIMEOUT_MS = 60_000;

    public static final StateConfig EPHEMERAL = new StateConfig(null, Stores.MEMORY, DEFAULT_CHECKPOINT_MS);

    public static StateConfig fromEnv(Map<String, String> env) {
        String dir = env.get(Stores.ENV_DIR);
        if (dir == null || dir.isBlank()) return EPHEMERAL;
        String backend = Stores.ROCKSDB.equals(env.get(Stores.ENV_BACKEND)) ? Stores.ROCKSDB : Stores.MEMORY;
        long interval = DEFAULT_CHECKPOINT_MS;
        try {
            interval = Math.max(100, Long.parseLong(env.getOrDefault(Stores.ENV_CHECKPOINT_MS, "" + DEFAULT_CHECKPOINT_MS).trim()));
        } catch (NumberFormatException e) {
            // default
        }
        // the RocksDB native library is extracted once under the home's state folder (state/.native)
        Path groupDir = Path.of(dir);
        if (groupDir.getParent() != null) RocksBackend.cacheDir = groupDir.getParent().resolve(".native");
        return new StateConfig(groupDir, backend, interval);
    }

    public boolean durable() { return dir != null; }

    /** The consumer group whose stores these are (the state directory's name; null when ephemeral). */
    public String consumerGroup() { return dir == null || dir.getFileName() == null ? null : dir.getFileName().toString(); }

    /** Opens one store of one partition with its changelog in a Kafka topic's partition (not restored yet). */
    public PartitionStore open(String store, String topic, int partition, KafkaChangelog.Partition remote) throws IOException {
        if (dir == null || remote == null) return open(store, topic, partition);
        return PartitionStore.open(store, topic, partition, Stores.partitionDir(dir, store, topic, partition), backend,
                checkpointIntervalMs, LOCK_TIMEOUT_MS, remote);
    }

    /** Opens one store of one partition (not restored yet). */
    public PartitionStore open(String store, String topic, int partition) throws IOException {
        if (dir == null) return PartitionStore.ephemeral(store, topic, partition);
        return PartitionStore.open(store, topic, partition, Stores.partitionDir(dir, store, topic, partition), backend,
                checkpointIntervalMs, LOCK_TIMEOUT_MS);
    }
}
