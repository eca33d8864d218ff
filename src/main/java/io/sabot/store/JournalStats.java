package io.sabot.store;

/**
 * Counters of a {@link JournalWriter}.
 *
 * @param submitted     records accepted into the queue
 * @param written       records committed
 * @param droppedLazy   lazy records (metrics, spans) dropped because the queue was full
 * @param rejected      records the database refused individually (awaiting them throws)
 * @param batches       transactions committed
 * @param largestBatch  most records in one transaction
 * @param queued        records waiting now
 * @param capacity      queue capacity
 * @param failed        true once the writer has stopped on an error (every later call throws)
 */
public record JournalStats(long submitted, long written, long droppedLazy, long rejected, long batches,
                           int largestBatch, int queued, int capacity, boolean failed) {
}
