package io.sabot.partition;

import java.util.List;

/**
 * A Kafka-coordinated consumer group as its broker describes it: members (host and instance from
 * their client ids), and per partition its owner, committed offset and log end.
 *
 * @param state Kafka's group state (Stable, PreparingRebalance, CompletingRebalance, Empty, Dead)
 */
public record GroupSnapshot(String group, String state, List<Member> members, List<Partition> partitions, long timeMs) {
    public GroupSnapshot {
        members = List.copyOf(members);
        partitions = List.copyOf(partitions);
    }

    /** One member: its Kafka member id, the host and instance Sabot named it with (null for a foreign client). */
    public record Member(String memberId, String clientId, String host, String instance, int partitions) {}

    /**
     * One partition of a subscribed topic.
     *
     * @param ownerHost     null when no member owns it now
     * @param ownerInstance null when no member owns it now
     * @param committed     -1 when the group never committed
     */
    public record Partition(String topic, int partition, String ownerHost, String ownerInstance, long committed, long logEnd) {
        public long lag() { return committed < 0 ? logEnd : Math.max(0, logEnd - committed); }
    }

    /** True when every partition of the group's topics has an owner. */
    public boolean fullyOwned() {
        for (Partition p : partitions) if (p.ownerInstance() == null) return false;
        return !partitions.isEmpty();
    }
}
