package io.sabot.engine;

/** Every record of {@code topic:partition} below {@code offset} is processed by consumer group {@code group} (committed by {@code instance}). */
public record OffsetCommit(String topic, int partition, long offset, String instance, long timeMs, String group) {
    /** Without a consumer group (round-1 shape). */
    public OffsetCommit(String topic, int partition, long offset, String instance, long timeMs) {
        this(topic, partition, offset, instance, timeMs, null);
    }
}
