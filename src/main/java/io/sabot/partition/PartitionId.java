package io.sabot.partition;

import java.util.Objects;

/** A partition of a topic; printed and parsed as {@code topic:partition} (the contract's form). */
public record PartitionId(String topic, int partition) implements Comparable<PartitionId> {

    public PartitionId {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition: must be >= 0, got " + partition);
        }
    }

    /** Parses {@code topic:partition}; the topic may itself contain no ':' after the last one. */
    public static PartitionId parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("partition id: expected 'topic:partition', got '" + text + "'");
        }
        int p;
        try {
            p = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("partition id: partition is not an integer in '" + text + "'");
        }
        return new PartitionId(text.substring(0, colon), p);
    }

    @Override
    public int compareTo(PartitionId o) {
        int c = topic.compareTo(o.topic);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public String toString() {
        return topic + ":" + partition;
    }
}
