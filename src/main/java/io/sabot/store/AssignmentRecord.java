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
 */
public record AssignmentRecord(String topic, long epoch, String strategy, String reason, List<String> owners,
                               int moved, Instant time) implements JournalRecord {
    public AssignmentRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(time, "time");
        owners = owners == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(owners));
    }
}
