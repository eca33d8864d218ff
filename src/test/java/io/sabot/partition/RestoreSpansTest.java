package io.sabot.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A restore's span: opened by the first progress report under the topic's newest epoch, which it
 * holds open; ended by the last with what was restored and from where; ended as an error when the
 * instance dies while restoring; none for a store that had nothing to restore and said only "done".
 */
class RestoreSpansTest {
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

    private SpanData named(String name) {
        synchronized (ended) {
            return ended.stream().filter(s -> s.getName().equals(name)).findFirst().orElse(null);
        }
    }

    @Test
    void aRestoreIsASpanUnderTheEpochThatGaveThePartition() throws Exception {
        Tracer tracer = provider.get("test");
        HandoffSpans hs = new HandoffSpans(tracer, (trace, instance) -> Optional.empty());
        try {
            hs.epoch("tx", 4, "instance fd-0 down", 2);
            hs.assign("fd-1", "tx", 4, List.of(2, 5));
            hs.acked("assign", "fd-1", "tx", 4);
            hs.restore("fd-1", "tx", 2, "cards", 0, 1000, false, null, 0);
            hs.restore("fd-1", "tx", 5, "cards", 0, 0, true, "local store", 0); // nothing to restore: no span
            Thread.sleep(2 * HandoffSpans.QUIET_NANOS / 1_000_000); // the epoch would end now if the restore did not hold it
            assertThat(named("rebalance tx epoch 4")).as("the epoch is held open by its restore").isNull();
            hs.restore("fd-1", "tx", 2, "cards", 430, 1000, false, null, 0);
            hs.restore("fd-1", "tx", 2, "cards", 1000, 1000, true, "checkpoint+changelog", 120);
            SpanData r = named("restore fd-1 tx[2] cards");
            assertThat(r).isNotNull();
            assertThat(r.getAttributes().get(AttributeKey.stringKey("sabot.restore.source"))).isEqualTo("checkpoint+changelog");
            assertThat(r.getAttributes().get(AttributeKey.longKey("sabot.restore.restored"))).isEqualTo(1000L);
            assertThat(named("restore fd-1 tx[5] cards")).isNull();
            io.sabot.testing.Await.until(java.time.Duration.ofSeconds(5), () -> named("rebalance tx epoch 4") != null, "the epoch ends");
            assertThat(r.getParentSpanId()).isEqualTo(named("rebalance tx epoch 4").getSpanId());

            hs.epoch("tx", 5, "instance fd-1 down", 2);
            hs.restore("fd-2", "tx", 2, "cards", 10, 1000, false, null, 0);
            hs.dead("fd-2");
            SpanData died = named("restore fd-2 tx[2] cards");
            assertThat(died.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(died.getAttributes().get(AttributeKey.stringKey("sabot.outcome"))).isEqualTo("the instance died while restoring");
        } finally {
            hs.close();
        }
    }
}
