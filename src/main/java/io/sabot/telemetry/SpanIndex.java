package io.sabot.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds where in a trace later work belongs: given a trace id and an instance, the span of that
 * instance's operation in that trace (open or recently ended), else the trace's root. Work the
 * engine does after the fact (a partition handoff caused by a restart) becomes a child of the
 * operation that caused it. Bounded: the newest {@value #TRACES} traces are remembered.
 */
public final class SpanIndex implements SpanProcessor {
    static final int TRACES = 4096;
    private static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("sabot.instance");

    /** What is known of one trace: its root and, per instance, its operation span; open spans until they end. */
    private static final class TraceSpans {
        SpanContext root;
        final Map<String, SpanContext> byInstance = new HashMap<>();
        final List<ReadableSpan> open = new ArrayList<>(4);
    }

    private final LinkedHashMap<String, TraceSpans> traces = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TraceSpans> e) { return size() > TRACES; }
    };

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        SpanContext sc = span.getSpanContext();
        boolean root = !span.getParentSpanContext().isValid() || span.getParentSpanContext().isRemote();
        synchronized (traces) {
            TraceSpans t = traces.computeIfAbsent(sc.getTraceId(), k -> new TraceSpans());
            if (root && t.root == null) t.root = sc;
            if (t.open.size() < 10_000) t.open.add(span);
        }
    }

    @Override
    public boolean isStartRequired() { return true; }

    @Override
    public void onEnd(ReadableSpan span) {
        SpanContext sc = span.getSpanContext();
        String instance = span.getAttribute(INSTANCE);
        synchronized (traces) {
            TraceSpans t = traces.get(sc.getTraceId());
            if (t == null) return;
            t.open.remove(span);
            if (instance != null) t.byInstance.putIfAbsent(instance, sc);
        }
    }

    @Override
    public boolean isEndRequired() { return true; }

    /** The span of {@code instance}'s operation in the trace (open first), else the trace's root; empty for an unknown trace. */
    public Optional<SpanContext> parentFor(String traceId, String instance) {
        synchronized (traces) {
            TraceSpans t = traces.get(traceId);
            if (t == null) return Optional.empty();
            if (instance != null) {
                for (int i = t.open.size() - 1; i >= 0; i--) {
                    ReadableSpan s = t.open.get(i);
                    if (instance.equals(s.getAttribute(INSTANCE))) return Optional.of(s.getSpanContext());
                }
                SpanContext ended = t.byInstance.get(instance);
                if (ended != null) return Optional.of(ended);
            }
            return Optional.ofNullable(t.root);
        }
    }

    @Override
    public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }

    @Override
    public CompletableResultCode forceFlush() { return CompletableResultCode.ofSuccess(); }
}
