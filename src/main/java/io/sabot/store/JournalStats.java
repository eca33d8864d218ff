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
 * @param failed        true while the store is failing: records are held in memory and retried (see
 *                      {@link JournalWriter#health()})
 * @param notRecorded   history records dropped because the queue filled up while the store was failing
 */
public record JournalStats(long submitted, long written, long droppedLazy, long rejected, long batches,
                           int largestBatch, int queued, int capacity, boolean failed, long notRecorded) {
}
