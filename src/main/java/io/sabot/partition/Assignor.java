package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import java.util.List;
import java.util.Map;

/**
 * One assignment strategy: a pure function from (partition count, healthy members, previous
 * owners, measured load, key ranges) to partition -> owner. Implementations keep no state
 * between calls, so the manager can call them under its lock and tests can call them directly.
 */
public interface Assignor {

    /**
     * @param partitions number of partitions, >= 0; partitions are 0..partitions-1
     * @param members    distinct healthy instance ids (the manager passes them sorted)
     * @param previous   previous owner per partition; missing or null = none; may name dead ids
     * @param load       measured load per instance; may be empty or miss members
     * @param ranges     key range per partition; may be empty (then key order = index order)
     * @return owner per partition; every partition has an owner from {@code members} when
     *         {@code members} is non-empty, and the map is empty when it is empty
     */
    Map<Integer, String> assign(int partitions, List<String> members, Map<Integer, String> previous,
                                Map<String, InstanceLoad> load, Map<Integer, KeyRange> ranges);

    TopicStrategy strategy();

    /** The assignor for a strategy; {@code topic} seeds hashing so topics spread differently. */
    static Assignor of(TopicStrategy strategy, String topic) {
        switch (strategy) {
            case sticky:
                return new StickyAssignor();
            case round_robin:
                return new RoundRobinAssignor();
            case hash:
                return new HashAssignor(topic);
            case range:
                return new RangeAssignor();
            case load_balanced:
                return new LoadBalancedAssignor();
            default:
                throw new IllegalArgumentException("strategy: unsupported " + strategy);
        }
    }

    /** Shared argument checks, with messages that name the bad field and value. */
    static String[] checkMembers(int partitions, List<String> members) {
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions: must be >= 0, got " + partitions);
        }
        if (members == null) {
            throw new IllegalArgumentException("members: must not be null");
        }
        String[] m = members.toArray(new String[0]);
        java.util.HashSet<String> seen = new java.util.HashSet<>(m.length * 2);
        for (String id : m) {
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("members: instance id must be non-empty, got "
                        + (id == null ? "null" : "''"));
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException("members: duplicate instance id '" + id + "'");
            }
        }
        return m;
    }
}
