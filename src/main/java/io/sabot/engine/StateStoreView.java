package io.sabot.engine;

/**
 * One state store partition as {@code sabot state show --json} shows it: which agent and instance
 * holds it, its status ({@code active}, {@code restoring}, {@code standby}), size, and restore
 * progress (changelog changes restored of the total; rate per second and seconds left while restoring).
 */
public record StateStoreView(String agent, String consumerGroup, String store, String topic, int partition, String owner,
                             String status, long entries, long bytes, long diskBytes, long restoredRecords, long restoreTotal,
                             double restoreRate, Double etaSeconds, String source, long updatedAtEpochMs) {

    /** Restore progress in percent (100 when there was nothing to restore). */
    public int restorePercent() {
        return restoreTotal <= 0 ? 100 : (int) Math.min(100, restoredRecords * 100 / restoreTotal);
    }
}
