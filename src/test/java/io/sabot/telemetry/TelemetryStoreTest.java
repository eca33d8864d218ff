package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.sabot.store.Store;
import io.sabot.store.StoreOptions;
import io.sabot.store.StoredTrace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryStoreTest {
    @TempDir
    Path home;

    private static StoreOptions opts() { return StoreOptions.defaults().withScheduledRetention(false); }

    /** restart (root) -> 2 instance restarts -> stop/start each; the second start fails. */
    private static String makeTrace(Tracer tracer) {
        Span root = tracer.spanBuilder("restart fraud_detector (2 instances)").startSpan();
        try (Scope ignored = root.makeCurrent()) {
            for (int i = 0; i < 2; i++) {
                Span inst = tracer.spanBuilder("restart fraud_detector-" + i).setAttribute("instance", i).startSpan();
                try (Scope s2 = inst.makeCurrent()) {
                    Span stop = tracer.spanBuilder("stop.signal").setAttribute("signal", "SIGTERM")
                            .setAttribute("API_TOKEN", "s3cr3t").startSpan();
                    stop.end();
                    Span start = tracer.spanBuilder("start").startSpan();
                    if (i == 1) start.setStatus(StatusCode.ERROR, "exited with 3");
                    start.end();
                } finally {
                    inst.setStatus(StatusCode.OK);
                    inst.end();
                }
            }
            root.setStatus(StatusCode.OK);
        } finally {
            root.end();
        }
        return root.getSpanContext().getTraceId();
    }

    @Test
    void spanTreeRoundTripsThroughH2() {
        String traceId;
        List<SpanView> heard = new CopyOnWriteArrayList<>();
        try (Store store = Store.open(home, opts()); Telemetry tel = Telemetry.create(store, Map.of())) {
            tel.addListener(heard::add);
            traceId = makeTrace(tel.tracer());
            assertThat(heard).as("live listeners hear every span on end").hasSize(7);
            assertThat(tel.forceFlush()).isTrue();
            assertThat(tel.stats().stored()).isEqualTo(7);
            assertThat(tel.stats().dropped()).isZero();
        }
        try (Store store = Store.open(home, opts()); Telemetry tel = Telemetry.create(store, Map.of())) {
            StoredTrace stored = store.spans().trace(traceId).orElseThrow();
            assertThat(stored.spans()).hasSize(7);
            List<TraceView> traces = tel.recentTraces(10);
            assertThat(traces).hasSize(1);
            TraceView t = traces.get(0);
            assertThat(t.traceId()).isEqualTo(traceId);
            assertThat(t.name()).isEqualTo("restart fraud_detector (2 instances)");
            assertThat(t.status()).isEqualTo("OK");
            assertThat(t.spans()).hasSize(7);
            SpanView root = t.root();
            assertThat(root.parentSpanId()).isNull();
            assertThat(t.startEpochNanos()).isEqualTo(root.startEpochNanos());
            assertThat(t.durationNanos()).isEqualTo(root.durationNanos());
            Map<String, SpanView> byId = new java.util.HashMap<>();
            for (SpanView s : t.spans()) byId.put(s.spanId(), s);
            int grandchildren = 0;
            for (SpanView s : t.spans()) {
                if (s == root) continue;
                SpanView parent = byId.get(s.parentSpanId());
                assertThat(parent).as("parent of " + s.name()).isNotNull();
                assertThat(s.startEpochNanos()).isGreaterThanOrEqualTo(parent.startEpochNanos());
                assertThat(s.endEpochNanos()).as(s.name() + " ends within its parent").isLessThanOrEqualTo(parent.endEpochNanos());
                if (parent != root) grandchildren++;
            }
            assertThat(grandchildren).isEqualTo(4);
            SpanView failed = t.spans().stream().filter(s -> s.status().equals("ERROR")).findFirst().orElseThrow();
            assertThat(failed.name()).isEqualTo("start");
            assertThat(failed.attributes()).containsEntry(Spans.STATUS_DESCRIPTION, "exited with 3");
            SpanView stop = t.spans().stream().filter(s -> s.name().equals("stop.signal")).findFirst().orElseThrow();
            assertThat(stop.attributes()).containsEntry("signal", "SIGTERM").containsEntry("API_TOKEN", "****");
            assertThat(t.spans().stream().filter(s -> s.name().startsWith("restart fraud_detector-")).findFirst()
                    .orElseThrow().attributes()).containsEntry("instance", 0L);

            String tree = TraceTreePrinter.render(t);
            assertThat(tree).startsWith("restart fraud_detector (2 instances)  ").contains("  OK\n")
                    .contains("├─ restart fraud_detector-0  ").contains("│  ├─ stop.signal  ")
                    .contains("   └─ start  ").contains("ERROR");
        }
    }

    @Test
    void recentTracesIncludesSpansNotYetWrittenNewestFirst() throws Exception {
        try (Store store = Store.open(home, opts());
             Telemetry tel = Telemetry.builder().store(store).exportDelay(java.time.Duration.ofSeconds(30)).build()) {
            String first = makeTrace(tel.tracer());
            tel.forceFlush();
            TimeUnit.MILLISECONDS.sleep(2); // distinct start times (ns clock, ms-resolution on some systems)
            String second = makeTrace(tel.tracer()); // still in the batch processor's queue
            assertThat(store.spans().trace(second)).isEmpty();
            List<TraceView> traces = tel.recentTraces(5);
            assertThat(traces).extracting(TraceView::traceId).containsExactly(second, first);
            assertThat(traces.get(0).spans()).hasSize(7);
            assertThat(tel.recentTraces(1)).extracting(TraceView::traceId).containsExactly(second);
            assertThat(tel.trace(second)).isPresent();
        }
    }

    @Test
    void childOfRemoteParentRootsItsTraceLocally() {
        try (Store store = Store.open(home, opts()); Telemetry tel = Telemetry.create(store, Map.of())) {
            Map<String, String> env = Map.of("TRACEPARENT", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            Context parent = TraceContextEnv.extract(env);
            Span s = tel.tracer().spanBuilder("agent work").setParent(parent).startSpan();
            s.end();
            tel.forceFlush();
            TraceView t = tel.recentTraces(1).get(0);
            assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(t.name()).isEqualTo("agent work");
            assertThat(t.root().parentSpanId()).isEqualTo("00f067aa0ba902b7");
        }
    }
}
