package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One epoch of a topic's assignment: who owns each partition. Immutable.
 *
 * <p>{@code moved} lists the partitions whose owner differs from the previous epoch's,
 * including those that gained or lost an owner (null counts as an owner value here), so the
 * first assignment of a topic lists every partition it assigns.
 */
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"group", "topic", "epoch", "strategy", "reason", "createdAtEpochMs", "members", "owners", "moved", "unassigned"})
public final class PartitionAssignment {
    private final String group;
    private final long epoch;
    private final String topic;
    private final String[] owners;
    private final List<String> members;
    private final List<Integer> unassigned;
    private final List<Integer> moved;
    private final TopicStrategy strategy;
    private final String reason;
    private final Instant createdAt;

    PartitionAssignment(String group, long epoch, String topic, String[] owners, List<String> members, TopicStrategy strategy,
                        String reason, Instant createdAt, PartitionAssignment previous) {
        this.group = group;
        this.epoch = epoch;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.owners = owners;
        this.members = List.copyOf(members);
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.reason = reason == null ? "" : reason;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        int[] un = new int[owners.length];
        int[] mv = new int[owners.length];
        int nu = 0;
        int nm = 0;
        for (int p = 0; p < owners.length; p++) {
            if (owners[p] == null) {
                un[nu++] = p;
            }
            String before = previous == null ? null : previous.owner(p);
            if (!Objects.equals(before, owners[p])) {
                mv[nm++] = p;
            }
        }
        this.unassigned = IntList.copyOf(un, nu);
        this.moved = IntList.copyOf(mv, nm);
    }

    /** Builds an assignment from any partition->owner map (for the store's replay and tests). */
    public static PartitionAssignment of(long epoch, String topic, int partitions, Map<Integer, String> owners,
                                         List<String> members, TopicStrategy strategy, String reason,
                                         Instant createdAt, PartitionAssignment previous) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch: must be >= 0, got " + epoch);
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions: must be >= 0, got " + partitions);
        }
        return of(null, epoch, topic, partitions, owners, members, strategy, reason, createdAt, previous);
    }

    /** {@link #of} for a consumer group's assignment. */
    public static PartitionAssignment of(String group, long epoch, String topic, int partitions, Map<Integer, String> owners,
                                         List<String> members, TopicStrategy strategy, String reason,
                                         Instant createdAt, PartitionAssignment previous) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch: must be >= 0, got " + epoch);
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions: must be >= 0, got " + partitions);
        }
        return new PartitionAssignment(group, epoch, topic, OwnerMap.toArray(owners, partitions), members, strategy,
                reason, createdAt, previous);
    }

    /** The consumer group this assignment is for (null: a manager used without groups). */
    @JsonProperty
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public String group() {
        return group;
    }

    /** Increases by one per rebalance of the topic; 0 is the empty assignment of a new topic. */
    @JsonProperty
    public long epoch() {
        return epoch;
    }

    @JsonProperty
    public String topic() {
        return topic;
    }

    public int partitionCount() {
        return owners.length;
    }

    /** Owner of a partition (an instance id), or null when it has none. */
    public String owner(int partition) {
        return partition >= 0 && partition < owners.length ? owners[partition] : null;
    }

    /** Owner per partition, index = partition; null elements for unassigned partitions. */
    @JsonProperty
    public List<String> owners() {
        return Collections.unmodifiableList(Arrays.asList(owners.clone()));
    }

    /** Partition -> owner for assigned partitions (an immutable map view). */
    public Map<Integer, String> ownerMap() {
        return new OwnerMap(owners);
    }

    /** The healthy members this epoch was computed for, sorted. */
    @JsonProperty
    public List<String> members() {
        return members;
    }

    @JsonProperty
    public List<Integer> unassigned() {
        return unassigned;
    }

    @JsonProperty
    public List<Integer> moved() {
        return moved;
    }

    @JsonProperty
    public TopicStrategy strategy() {
        return strategy;
    }

    @JsonProperty
    public String reason() {
        return reason;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** {@link #createdAt()} in epoch milliseconds (the JSON form; no java.time module needed). */
    @JsonProperty
    public long createdAtEpochMs() {
        return createdAt.toEpochMilli();
    }

    public List<Integer> partitionsOf(String instance) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < owners.length; p++) {
            if (Objects.equals(owners[p], instance)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Partition count per member (members with none included, as 0), sorted by id. */
    public Map<String, Integer> countsPerInstance() {
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (String m : members) {
            counts.put(m, 0);
        }
        for (String o : owners) {
            if (o != null) {
                counts.merge(o, 1, Integer::sum);
            }
        }
        return Collections.unmodifiableMap(counts);
    }

    /** Partition ids ({@code topic:partition}) an instance owns, for the status JSON. */
    public List<String> partitionIdsOf(String instance) {
        List<String> out = new ArrayList<>();
        for (int p : partitionsOf(instance)) {
            out.add(new PartitionId(topic, p).toString());
        }
        return out;
    }

    @Override
    public String toString() {
        return "PartitionAssignment{group=" + group + ", topic=" + topic + ", epoch=" + epoch + ", strategy=" + strategy
                + ", partitions=" + owners.length + ", unassigned=" + unassigned.size()
                + ", moved=" + moved.size() + ", reason='" + reason + "'}";
    }
}
