package io.sabot.metrics;

/**
 * One sample of one process. {@code cpuPercent} is per core (100 = one core busy) over the
 * interval since the previous sample of the same pid (0 on the first sample); {@code timestampMs}
 * is epoch ms.
 */
public record ProcessSample(long pid, double cpuPercent, long rssBytes, int threads, long timestampMs) {}
