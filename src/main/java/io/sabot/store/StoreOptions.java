package io.sabot.store;

import java.util.Objects;

/**
 * How a {@link Store} is opened.
 *
 * @param journalCapacity   bound of the group-commit queue (default 65,536 records)
 * @param retention         what history to keep
 * @param scheduleRetention run {@link RetentionTask} every {@code retention.interval()} on a background thread
 * @param fsync             also fsync after each group commit ({@code CHECKPOINT SYNC}): survives power loss, not
 *                          only a killed process; off by default (commits reach the OS at once, which survives
 *                          {@code kill -9})
 * @param cacheSizeKb       H2 page cache (default 16 MiB)
 * @param readConnections   pooled connections for reads and retention (default 4)
 * @param safety            snapshot file, backups, how long closing retries a failing store
 */
public record StoreOptions(int journalCapacity, RetentionPolicy retention, boolean scheduleRetention, boolean fsync,
                           int cacheSizeKb, int readConnections, SafetyPolicy safety) {
    public StoreOptions {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(safety, "safety");
        if (journalCapacity < 1) throw new IllegalArgumentException("journalCapacity < 1");
        if (readConnections < 1) throw new IllegalArgumentException("readConnections < 1");
    }

    public static StoreOptions defaults() {
        return new StoreOptions(65_536, RetentionPolicy.defaults(), true, false, 16_384, 4, SafetyPolicy.defaults());
    }

    public StoreOptions withJournalCapacity(int capacity) {
        return new StoreOptions(capacity, retention, scheduleRetention, fsync, cacheSizeKb, readConnections, safety);
    }

    public StoreOptions withRetention(RetentionPolicy policy) {
        return new StoreOptions(journalCapacity, policy, scheduleRetention, fsync, cacheSizeKb, readConnections, safety);
    }

    public StoreOptions withScheduledRetention(boolean on) {
        return new StoreOptions(journalCapacity, retention, on, fsync, cacheSizeKb, readConnections, safety);
    }

    public StoreOptions withFsync(boolean on) {
        return new StoreOptions(journalCapacity, retention, scheduleRetention, on, cacheSizeKb, readConnections, safety);
    }

    public StoreOptions withSafety(SafetyPolicy policy) {
        return new StoreOptions(journalCapacity, retention, scheduleRetention, fsync, cacheSizeKb, readConnections, policy);
    }
}
