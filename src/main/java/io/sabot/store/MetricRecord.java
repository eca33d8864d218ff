package io.sabot.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A resource sample (lazy: dropped and counted when the journal is full).
 *
 * @param subject    instance id, or {@link #HOST}
 * @param time       sample time
 * @param cpu        CPU use in percent of one core (may exceed 100)
 * @param rss        resident memory in bytes
 * @param threads    thread count
 * @param resolution seconds this sample stands for: 1 for raw samples, 60 for downsampled averages
 */
public record MetricRecord(String subject, Instant time, double cpu, long rss, int threads, int resolution)
        implements JournalRecord {
    public static final String HOST = "host";

    public MetricRecord {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        if (resolution <= 0) throw new IllegalArgumentException("resolution <= 0");
    }

    /** A raw (1 s) sample. */
    public MetricRecord(String subject, Instant time, double cpu, long rss, int threads) {
        this(subject, time, cpu, rss, threads, 1);
    }

    @Override
    public boolean lazy() { return true; }
}
