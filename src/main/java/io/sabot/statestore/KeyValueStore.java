package io.sabot.statestore;

/**
 * A key-value store of one (consumer group, store name, topic, partition), used by an agent on its
 * consumer thread. Writes are buffered until the agent's batch ends ({@link PartitionStore#commit});
 * reads see them at once. Keys and values are opaque bytes; a null value is never stored.
 */
public interface KeyValueStore {
    /** The value of {@code key}, or null. */
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    void delete(byte[] key);

    /** Entries held (committed ones; an approximation for RocksDB). */
    long entries();

    /** Bytes of keys and values held (an approximation for RocksDB). */
    long bytes();
}
