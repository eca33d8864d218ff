package io.sabot.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trace context through process environments (the OpenTelemetry env-carrier convention):
 * {@code TRACEPARENT} / {@code TRACESTATE} in W3C Trace Context format. The engine injects them
 * into an agent's environment; the agent extracts them and parents its spans on the engine's.
 */
public final class TraceContextEnv {
    public static final String TRACEPARENT = "TRACEPARENT";
    public static final String TRACESTATE = "TRACESTATE";

    private static final TextMapSetter<Map<String, String>> SETTER =
            (carrier, key, value) -> carrier.put(key.toUpperCase(Locale.ROOT), value);

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            List<String> keys = new ArrayList<>();
            for (String k : carrier.keySet()) keys.add(k.toLowerCase(Locale.ROOT));
            return keys;
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key.toUpperCase(Locale.ROOT));
        }
    };

    private TraceContextEnv() { }

    /** Puts the span context of {@code context} into {@code env} (nothing if it has no valid span); returns env. */
    public static Map<String, String> inject(Context context, Map<String, String> env) {
        env.remove(TRACEPARENT);
        env.remove(TRACESTATE);
        W3CTraceContextPropagator.getInstance().inject(context, env, SETTER);
        return env;
    }

    /** Injects {@link Context#current()}. */
    public static Map<String, String> inject(Map<String, String> env) {
        return inject(Context.current(), env);
    }

    /** A context whose parent is the remote span named by {@code env} (or the root context if none/invalid). */
    public static Context extract(Map<String, String> env) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), env, GETTER);
    }

    /** {@link #extract(Map)} of this process's environment: what a child agent calls. */
    public static Context extractFromProcess() {
        return extract(System.getenv());
    }

    /** The remote span context named by {@code env}, invalid if none. */
    public static SpanContext spanContext(Map<String, String> env) {
        return Span.fromContext(extract(env)).getSpanContext();
    }
}
