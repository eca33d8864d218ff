package io.sabot.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A finished span (lazy: dropped and counted when the journal is full).
 *
 * @param traceId         32 hex chars
 * @param spanId          16 hex chars
 * @param parentSpanId    16 hex chars, or null for a root
 * @param root            true when this span roots its trace here (no parent, or a remote parent)
 * @param name            span name
 * @param startEpochNanos start, epoch nanoseconds
 * @param durationNanos   duration in nanoseconds
 * @param status          {@code OK}, {@code ERROR} or {@code UNSET}
 * @param attributes      attribute values (strings, booleans, numbers, lists of those); secrets already masked
 */
public record SpanRecord(String traceId, String spanId, String parentSpanId, boolean root, String name,
                         long startEpochNanos, long durationNanos, String status, Map<String, Object> attributes)
        implements JournalRecord {
    public SpanRecord {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(name, "name");
        status = status == null ? "UNSET" : status;
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public long endEpochNanos() { return startEpochNanos + durationNanos; }

    @Override
    public boolean lazy() { return true; }
}
