package io.sabot.engine;

import java.util.Map;

/** One span of a trace (the contract's span object, plus its trace id). */
public record SpanView(String traceId, String spanId, String parentSpanId, String name, long startEpochNanos,
                       long durationNanos, String status, Map<String, String> attributes) {
}
