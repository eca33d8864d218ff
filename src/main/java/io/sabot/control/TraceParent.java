package io.sabot.control;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;

/**
 * W3C trace context on the control protocol: a request may carry {@code "traceparent"} (and
 * {@code "tracestate"}); the server makes it the current context while it runs the request, so
 * the engine's root span of the operation takes it as its parent. The client sends the current
 * span's context, so an operation fanned out to several hosts makes one trace.
 */
public final class TraceParent {
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) { return carrier.keySet(); }

        @Override
        public String get(Map<String, String> carrier, String key) { return carrier == null ? null : carrier.get(key); }
    };

    private TraceParent() {}

    /** The current span's context as headers ({@code traceparent}, maybe {@code tracestate}); empty when there is none. */
    public static Map<String, String> current() {
        Map<String, String> m = new HashMap<>();
        SpanContext sc = Span.current().getSpanContext();
        if (sc.isValid()) W3CTraceContextPropagator.getInstance().inject(Context.current(), m, Map::put);
        return m;
    }

    /** The context a request's headers name (a remote parent); {@link Context#root()} when none or malformed. */
    public static Context extract(String traceparent, String tracestate) {
        if (traceparent == null || traceparent.isBlank()) return Context.root();
        Map<String, String> m = new HashMap<>();
        m.put("traceparent", traceparent);
        if (tracestate != null) m.put("tracestate", tracestate);
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), m, GETTER);
    }
}
