package io.sabot.engine;

/** A point of metric history for charts (an instance's, or the host's). */
public record MetricPoint(long timeMs, double cpuPercent, long memoryBytes) {
}
