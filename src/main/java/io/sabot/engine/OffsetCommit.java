package io.sabot.engine;

/** Every record of {@code topic:partition} below {@code offset} is processed (committed by {@code instance}). */
public record OffsetCommit(String topic, int partition, long offset, String instance, long timeMs) {
}
