package io.sabot.engine;

/**
 * One partition of one consumer group, as the contract's {@code partitions show --json} shows it,
 * plus whether it moved in the last rebalance.
 *
 * @param group        the consumer group (an agent's {@code consumerGroup})
 * @param cluster      the Kafka cluster the topic lives on; null for an embedded topic
 * @param logEndOffset the partition's end: the broker's log-end offset, or the generated stream's high watermark
 * @param reachable    false while the topic's cluster cannot be reached (offsets and lag are the last known)
 * @param lagSeconds   how far behind in time the group is, where record timestamps allow; null when unknown
 */
public record PartitionView(String topic, int partition, String owner, long epoch, long committedOffset, long lag,
                            double ratePerSec, boolean moved, String group, String cluster, long logEndOffset,
                            boolean reachable, Double lagSeconds) {
    /** Without a consumer group (round-1 shape). */
    public PartitionView(String topic, int partition, String owner, long epoch, long committedOffset, long lag,
                         double ratePerSec, boolean moved) {
        this(topic, partition, owner, epoch, committedOffset, lag, ratePerSec, moved, null, null, committedOffset + lag, true, null);
    }
}
