package io.sabot.statestore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a partition store's entries live: in memory or in a RocksDB database. A backend moves
 * from one consistent state to the next in {@link #apply}: the changes of a batch together with
 * the input offset they bring the state to, so the offset it reports is never ahead of its data.
 */
interface Backend extends AutoCloseable {
    /** A change of a batch: a put, or a delete when {@code value} is null. */
    record Change(byte[] key, byte[] value) {}

    byte[] get(byte[] key);

    /** Applies a batch atomically, with the input offset and changelog position it reaches. */
    void apply(List<Change> changes, long offset, long changelogPosition) throws IOException;

    /** Input offset the state holds (every record below it applied), 0 when empty. */
    long offset();

    /** Changelog position just after the last applied batch. */
    long changelogPosition();

    long entries();

    long bytes();

    /** Writes a checkpoint (the state with its offset and position) into {@code dir}, which does not exist yet. */
    void checkpoint(Path dir) throws IOException;

    /** Replaces the state with the checkpoint in {@code dir}. */
    void load(Path dir) throws IOException;

    /** Empties the state (offset 0, position 0). */
    void clear() throws IOException;

    @Override
    void close();
}
