package io.sabot.engine;

import java.util.List;
import java.util.Map;

/** A rebalance's outcome: the new epoch of a topic's assignment, what moved and why. */
public record AssignmentView(String topic, long epoch, String strategy, String reason, Map<Integer, String> owners,
                             List<Integer> moved, List<Integer> unassigned, long timeMs) {
}
