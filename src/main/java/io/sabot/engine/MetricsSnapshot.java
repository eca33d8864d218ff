package io.sabot.engine;

import java.util.Map;

/** One sampler tick: host figures and each live instance's (published as a "metrics" event, about 1 Hz). */
public record MetricsSnapshot(long timeMs, double hostCpuPercent, long hostMemoryUsedBytes, long hostMemoryTotalBytes,
                              Map<String, InstanceMetrics> instances) {

    /** cpuPercent is of one core (100 = one full core). */
    public record InstanceMetrics(double cpuPercent, long rssBytes, int threads, double messagesPerSec) {
    }
}
