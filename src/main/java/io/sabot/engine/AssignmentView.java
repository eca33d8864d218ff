package io.sabot.engine;

import java.util.List;
import java.util.Map;

/** A rebalance's outcome: the new epoch of a consumer group's assignment of a topic, what moved and why. */
public record AssignmentView(String topic, long epoch, String strategy, String reason, Map<Integer, String> owners,
                             List<Integer> moved, List<Integer> unassigned, long timeMs, String group) {
    /** Without a consumer group (round-1 shape). */
    public AssignmentView(String topic, long epoch, String strategy, String reason, Map<Integer, String> owners,
                          List<Integer> moved, List<Integer> unassigned, long timeMs) {
        this(topic, epoch, strategy, reason, owners, moved, unassigned, timeMs, null);
    }
}
