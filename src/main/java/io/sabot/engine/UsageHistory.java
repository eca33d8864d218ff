package io.sabot.engine;

import java.util.List;

/**
 * An agent's or consumer group's figures over a range, downsampled on the way out to at most
 * {@code maxPoints} points (each the average of its bucket; restarts are those that happened in
 * it). Answer of {@code sabot agents history NAME --range R --json}.
 *
 * @param subject   {@code agent:NAME} or {@code group:NAME}
 * @param range     live, 1h, 24h or 7d
 * @param bucketMs  width of one point
 */
public record UsageHistory(String subject, String range, long fromMs, long toMs, long bucketMs, int maxPoints,
                           List<UsagePoint> points) {
    public UsageHistory {
        points = points == null ? List.of() : List.copyOf(points);
    }

    /**
     * One point: averages over the bucket (lag: the bucket's maximum, what an operator looks for).
     *
     * @param cpuPercent     of one core, all instances together
     * @param memoryBytes    resident, all instances together
     * @param ratePerSec     records processed per second
     * @param lagRecords     records behind
     * @param lagSeconds     seconds behind (records behind divided by the topic's production rate)
     * @param restarts       restarts within the bucket
     */
    public record UsagePoint(long timeMs, double cpuPercent, long memoryBytes, double ratePerSec, long lagRecords,
                             double lagSeconds, long restarts) {
    }
}
