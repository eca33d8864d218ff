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
 * @param host         the owner's host: the engine's host name ({@code SABOT_HOST_NAME}, else the machine's) for
 *                     an owner of this engine, the member's host for an owner on another host of a group Kafka
 *                     coordinates; null when nobody owns the partition (or an older engine did not say)
 * @param coordination who assigns the group's partitions: {@code "sabot"} (this engine) or {@code "kafka"}
 *                     (Kafka's group protocol across hosts: the rows are the whole group, every host's owners);
 *                     null from an older engine
 */
public record PartitionView(String topic, int partition, String owner, long epoch, long committedOffset, long lag,
                            double ratePerSec, boolean moved, String group, String cluster, long logEndOffset,
                            boolean reachable, Double lagSeconds, String host, String coordination) {
    public static final String SABOT = "sabot";
    public static final String KAFKA = "kafka";

    /** Without the owner's host and the coordination (what older engines sent). */
    public PartitionView(String topic, int partition, String owner, long epoch, long committedOffset, long lag,
                         double ratePerSec, boolean moved, String group, String cluster, long logEndOffset,
                         boolean reachable, Double lagSeconds) {
        this(topic, partition, owner, epoch, committedOffset, lag, ratePerSec, moved, group, cluster, logEndOffset, reachable, lagSeconds,
                null, null);
    }

    /** True for a row of a group Kafka coordinates (its instances may run on several hosts). */
    public boolean kafkaCoordinated() { return KAFKA.equals(coordination); }

    /** The owner's instance id on its own host: {@code owner} without an {@code @host} suffix; null when unowned. */
    public String ownerInstance() {
        if (owner == null) return null;
        int at = owner.lastIndexOf('@');
        return at > 0 && kafkaCoordinated() ? owner.substring(0, at) : owner;
    }

    /** Without a consumer group (round-1 shape). */
    public PartitionView(String topic, int partition, String owner, long epoch, long committedOffset, long lag,
                         double ratePerSec, boolean moved) {
        this(topic, partition, owner, epoch, committedOffset, lag, ratePerSec, moved, null, null, committedOffset + lag, true, null, null, null);
    }
}
