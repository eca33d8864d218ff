package io.sabot.engine;

import java.util.List;

/** A trace: name, start, duration and status of its root span, and all its spans (the contract's trace object). */
public record TraceView(String traceId, String name, long startEpochNanos, long durationNanos, String status,
                        List<SpanView> spans) {
}
