package io.sabot.metrics;

/**
 * One sample of the host. {@code cpuPercent} is of the whole host (100 = every core busy) over the
 * interval since the previous host sample (0 on the first); memory in bytes.
 */
public record HostSample(double cpuPercent, int cores, long memTotalBytes, long memAvailableBytes, long timestampMs) {
    public long memUsedBytes() {
        return memTotalBytes - memAvailableBytes;
    }
}
