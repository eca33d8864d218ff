package io.sabot.partition;

/** A partition handed to a new owner and the offset it resumes from (the committed offset). */
public record PartitionStart(int partition, long offset) {
    public PartitionStart {
        if (partition < 0) {
            throw new IllegalArgumentException("partition: must be >= 0, got " + partition);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset: must be >= 0, got " + offset);
        }
    }
}
