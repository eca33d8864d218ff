package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceContextEnvTest {
    @Test
    void traceparentRoundTripsThroughAnEnvironmentMap() {
        try (Telemetry tel = Telemetry.builder().build()) {
            Span parent = tel.tracer().spanBuilder("spawn agent").startSpan();
            Map<String, String> env = new HashMap<>(Map.of("PATH", "/bin", "TRACEPARENT", "stale"));
            try (Scope ignored = parent.makeCurrent()) {
                TraceContextEnv.inject(env);
            } finally {
                parent.end();
            }
            SpanContext sc = parent.getSpanContext();
            assertThat(env).containsEntry("TRACEPARENT", "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-01")
                    .containsEntry("PATH", "/bin").doesNotContainKey("traceparent");

            // in the child: extract and parent a span on it
            Context ctx = TraceContextEnv.extract(env);
            SpanContext remote = Span.fromContext(ctx).getSpanContext();
            assertThat(remote.isRemote()).isTrue();
            assertThat(remote.getTraceId()).isEqualTo(sc.getTraceId());
            assertThat(remote.getSpanId()).isEqualTo(sc.getSpanId());
            assertThat(remote.isSampled()).isTrue();
            Span child = tel.tracer().spanBuilder("agent start").setParent(ctx).startSpan();
            assertThat(child.getSpanContext().getTraceId()).isEqualTo(sc.getTraceId());
            child.end();
        }
    }

    @Test
    void tracestateTravelsAndMissingOrBadContextGivesNoParent() {
        Map<String, String> env = Map.of("TRACEPARENT", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "TRACESTATE", "vendor=abc");
        Context ctx = TraceContextEnv.extract(env);
        Map<String, String> again = TraceContextEnv.inject(ctx, new HashMap<>());
        assertThat(again).containsEntry("TRACEPARENT", env.get("TRACEPARENT")).containsEntry("TRACESTATE", "vendor=abc");
        assertThat(TraceContextEnv.spanContext(Map.of()).isValid()).isFalse();
        assertThat(TraceContextEnv.spanContext(Map.of("TRACEPARENT", "garbage")).isValid()).isFalse();
        assertThat(TraceContextEnv.inject(Context.root(), new HashMap<>(Map.of("TRACEPARENT", "old")))).isEmpty();
    }
}
