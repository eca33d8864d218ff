package io.sabot.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A committed offset of a consumer group: every record of the partition below {@code offset} is
 * processed by {@code group}. Stored offsets only move forward: a smaller offset than the stored
 * one is ignored.
 */
public record OffsetRecord(String group, String topic, int partition, long offset, Instant time) implements JournalRecord {
    public OffsetRecord {
        group = group == null ? "" : group;
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(time, "time");
        if (partition < 0) throw new IllegalArgumentException("partition < 0: " + partition);
    }

    /** Without a consumer group (the manager used on its own). */
    public OffsetRecord(String topic, int partition, long offset, Instant time) {
        this("", topic, partition, offset, time);
    }
}
