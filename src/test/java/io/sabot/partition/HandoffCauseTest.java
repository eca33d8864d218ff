package io.sabot.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.sabot.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which operation an epoch belongs to, in the order a loaded machine delivers things: the
 * partition manager batches member changes, so a restart's "down" epoch may be decided after the
 * restart's STARTING transition, and its "up" epoch after a RUNNING that carries no trace id.
 */
class HandoffCauseTest {
    private final List<SpanData> ended = new ArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            synchronized (ended) { ended.addAll(spans); }
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }

        @Override
        public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
    })).build();

    private SpanData named(String prefix) {
        synchronized (ended) {
            return ended.stream().filter(s -> s.getName().startsWith(prefix)).findFirst().orElse(null);
        }
    }

    @Test
    void bothEpochsOfARestartHangUnderItEvenWhenTheDownEpochComesLate() {
        Tracer tracer = provider.get("test");
        Span restart = tracer.spanBuilder("restart fd-0").startSpan();
        SpanContext op = restart.getSpanContext();
        HandoffSpans hs = new HandoffSpans(tracer, (trace, instance) -> trace.equals(op.getTraceId()) ? Optional.of(op) : Optional.empty());
        try {
            hs.cause("tx", op.getTraceId(), "fd-0");             // STOPPING
            hs.cause("tx", op.getTraceId(), "fd-0");             // STOPPED
            hs.cause("tx", op.getTraceId(), "fd-0");             // STARTING, before the batched "down" epoch
            hs.epoch("tx", 2, "instance fd-0 down", 3);
            hs.cause("tx", null, "fd-0");                        // RUNNING (the agent said ready: no trace id)
            hs.epoch("tx", 3, "instance fd-0 up", 3);
            hs.epoch("tx", 4, "operator", 0);                    // an operator's rebalance right after: a trace of its own
            Await.until(Duration.ofSeconds(10), () -> named("rebalance tx epoch 4") != null && named("rebalance tx epoch 3") != null
                    && named("rebalance tx epoch 2") != null, "the epochs end once quiet");
            assertThat(named("rebalance tx epoch 2").getParentSpanId()).isEqualTo(op.getSpanId());
            assertThat(named("rebalance tx epoch 3").getParentSpanId()).isEqualTo(op.getSpanId());
            assertThat(named("rebalance tx epoch 4").getTraceId()).isNotEqualTo(op.getTraceId());
        } finally {
            hs.close();
            restart.end();
        }
    }

    @Test
    void anEpochNamesItsCauseAsAWholeInstanceId() {
        assertThat(HandoffSpans.causedBy("instance fd-0 up; instance fd-1 up", "fd-1")).isTrue();
        assertThat(HandoffSpans.causedBy("members changed: +[fd-0] -[]", "fd-0")).isTrue();
        assertThat(HandoffSpans.causedBy("instance fd-01 up", "fd-0")).isFalse();
        assertThat(HandoffSpans.causedBy("instance web-fd-0 up", "fd-0")).isFalse();
        assertThat(HandoffSpans.causedBy("operator", "fd-0")).isFalse();
    }
}
