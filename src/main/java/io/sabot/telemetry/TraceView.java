package io.sabot.telemetry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A trace as in {@code sabot telemetry traces --json}: name, start, duration and status are those
 * of its root span; {@code spans} holds every span (root included), by start time.
 */
public record TraceView(String traceId, String name, long startEpochNanos, long durationNanos, String status,
                        List<SpanView> spans) {
    public TraceView {
        Objects.requireNonNull(traceId, "traceId");
        spans = List.copyOf(spans);
    }

    /**
     * Builds a trace from its spans. The root is {@code root} when given, else the earliest span
     * whose parent is not among the spans.
     */
    public static TraceView of(SpanView root, List<SpanView> spans) {
        List<SpanView> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(SpanView::startEpochNanos).thenComparing(SpanView::spanId));
        SpanView r = root;
        if (r == null) {
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (SpanView s : sorted) ids.add(s.spanId());
            for (SpanView s : sorted) {
                if (s.parentSpanId() == null || !ids.contains(s.parentSpanId())) {
                    r = s;
                    break;
                }
            }
        }
        if (r == null) throw new IllegalArgumentException("a trace needs at least one span");
        if (sorted.remove(r)) sorted.add(0, r);
        return new TraceView(r.traceId(), r.name(), r.startEpochNanos(), r.durationNanos(), r.status(), sorted);
    }

    /** The root span (first of {@link #spans()}). */
    public SpanView root() { return spans.get(0); }
}
