package io.sabot.partition;

/**
 * One row of {@code sabot partitions show --json}; component names are the contract's fields.
 *
 * @param group           the consumer group (null for a manager used without one)
 * @param owner           owner in the current epoch (an instance id), or null
 * @param committedOffset every record below it has been processed by the group
 * @param lag             log end - committed offset, never negative
 * @param ratePerSec      records per second the partition grows by (the generated stream's rate,
 *                        or the measured growth of a Kafka partition)
 * @param logEndOffset    the high watermark: the generated stream's, or the broker's log-end offset
 * @param reachable       false when the topic's Kafka cluster cannot be reached (figures are stale)
 */
public record PartitionStatus(String group, String topic, int partition, String owner, long epoch, long committedOffset,
                              long lag, double ratePerSec, long logEndOffset, boolean reachable) {

    /** A row of a manager without a group, on a generated stream (the round-1 shape). */
    public PartitionStatus(String topic, int partition, String owner, long epoch, long committedOffset, long lag, double ratePerSec) {
        this(null, topic, partition, owner, epoch, committedOffset, lag, ratePerSec, committedOffset + lag, true);
    }
}
