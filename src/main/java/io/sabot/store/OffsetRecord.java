package io.sabot.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A committed offset: every record of the partition below {@code offset} is processed. Stored
 * offsets only move forward: a smaller offset than the stored one is ignored.
 */
public record OffsetRecord(String topic, int partition, long offset, Instant time) implements JournalRecord {
    public OffsetRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(time, "time");
        if (partition < 0) throw new IllegalArgumentException("partition < 0: " + partition);
    }
}
