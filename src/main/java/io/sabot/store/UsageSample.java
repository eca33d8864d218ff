package io.sabot.store;

/**
 * One row of agent / consumer-group history.
 *
 * @param subject    {@code agent:NAME} or {@code group:NAME}
 * @param resolution seconds the row covers (5 raw, 60 after downsampling)
 * @param restarts   restarts within the row's interval
 */
public record UsageSample(String subject, long timeMs, int resolution, double cpu, long rss, double rate, long lagRecords,
                          double lagSeconds, long restarts) {
}
