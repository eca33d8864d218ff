package io.sabot.telemetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A finished span as shown to users: the span objects of {@code sabot telemetry traces --json}
 * ({@code traceId} added so live listeners can group spans).
 *
 * @param traceId         32 hex chars
 * @param spanId          16 hex chars
 * @param parentSpanId    16 hex chars, or null
 * @param name            span name
 * @param startEpochNanos start, epoch ns
 * @param durationNanos   duration, ns
 * @param status          {@code OK}, {@code ERROR} or {@code UNSET}
 * @param attributes      attributes, secrets masked ({@link Secrets})
 */
public record SpanView(String traceId, String spanId, String parentSpanId, String name, long startEpochNanos,
                       long durationNanos, String status, Map<String, Object> attributes) {
    public SpanView {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(name, "name");
        status = status == null ? "UNSET" : status;
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public long endEpochNanos() { return startEpochNanos + durationNanos; }
}
