package io.sabot.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One partition assignment of a topic (the result of a rebalance).
 *
 * @param topic    topic name
 * @param epoch    assignment epoch (grows with each rebalance)
 * @param strategy assignment strategy used, e.g. {@code sticky}
 * @param reason   why it happened
 * @param owners   owner instance id per partition: {@code owners.get(p)} owns partition p; null when unowned
 * @param moved    how many partitions changed owner
 * @param time     when
 * @param group    the consumer group; null for rows written before consumer groups (one shared
 *                 assignment per topic), which recovery does not read
 */
public record AssignmentRecord(String topic, long epoch, String strategy, String reason, List<String> owners,
                               int moved, Instant time, String group) implements JournalRecord {
    public AssignmentRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(time, "time");
        owners = owners == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(owners));
    }

    /** Without a consumer group. */
    public AssignmentRecord(String topic, long epoch, String strategy, String reason, List<String> owners, int moved, Instant time) {
        this(topic, epoch, strategy, reason, owners, moved, time, null);
    }
}
