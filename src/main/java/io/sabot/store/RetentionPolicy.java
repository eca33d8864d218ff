package io.sabot.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How much history the store keeps. Defaults ({@link #defaults()}):
 * <ul>
 *   <li>metrics: raw 1 s samples for the last <b>1 hour</b>; older ones are replaced by
 *       <b>1 minute</b> averages (per subject), which are kept for <b>7 days</b>, then deleted;</li>
 *   <li>spans: the newest <b>200,000</b>;</li>
 *   <li>state transitions: the newest <b>500,000</b>;</li>
 *   <li>events: the newest <b>500,000</b>;</li>
 *   <li>lifecycle results: the newest <b>200,000</b>;</li>
 *   <li>assignments: the newest <b>1,000</b> (the latest one of each topic is always kept);</li>
 *   <li>work is done in transactions of at most <b>5,000</b> rows, every <b>1 minute</b>.</li>
 * </ul>
 *
 * @param rawMetrics       how long raw samples are kept before downsampling
 * @param metricBucket     downsampled resolution
 * @param metrics          how long any metric sample is kept
 * @param maxSpans         cap on stored spans
 * @param maxTransitions   cap on stored state transitions
 * @param maxEvents        cap on stored events
 * @param maxResults       cap on stored lifecycle results
 * @param maxAssignments   cap on stored assignments
 * @param chunkRows        most rows deleted per transaction
 * @param interval         how often the store runs the task
 */
public record RetentionPolicy(Duration rawMetrics, Duration metricBucket, Duration metrics, long maxSpans,
                              long maxTransitions, long maxEvents, long maxResults, long maxAssignments,
                              int chunkRows, Duration interval) {
    public RetentionPolicy {
        Objects.requireNonNull(rawMetrics, "rawMetrics");
        Objects.requireNonNull(metricBucket, "metricBucket");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(interval, "interval");
        if (metricBucket.toMillis() < 1000) throw new IllegalArgumentException("metricBucket < 1 s");
        if (chunkRows < 1) throw new IllegalArgumentException("chunkRows < 1");
    }

    public static RetentionPolicy defaults() {
        return new RetentionPolicy(Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofDays(7), 200_000, 500_000,
                500_000, 200_000, 1_000, 5_000, Duration.ofMinutes(1));
    }

    public RetentionPolicy withCaps(long spans, long transitions, long events, long results, long assignments) {
        return new RetentionPolicy(rawMetrics, metricBucket, metrics, spans, transitions, events, results, assignments,
                chunkRows, interval);
    }

    public RetentionPolicy withMetrics(Duration raw, Duration bucket, Duration keep) {
        return new RetentionPolicy(raw, bucket, keep, maxSpans, maxTransitions, maxEvents, maxResults, maxAssignments,
                chunkRows, interval);
    }

    public RetentionPolicy withChunkRows(int rows) {
        return new RetentionPolicy(rawMetrics, metricBucket, metrics, maxSpans, maxTransitions, maxEvents, maxResults,
                maxAssignments, rows, interval);
    }

    public RetentionPolicy withInterval(Duration every) {
        return new RetentionPolicy(rawMetrics, metricBucket, metrics, maxSpans, maxTransitions, maxEvents, maxResults,
                maxAssignments, chunkRows, every);
    }
}
