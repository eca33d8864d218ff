package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sabot.store.Store;
import io.sabot.store.StoreOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searching traces in a real H2 store (and in memory, before they are stored), by each criterion. */
class TraceSearchTest {
    @TempDir
    Path home;

    private static final long T0 = 1_700_000_000_000_000_000L, MS = 1_000_000L;

    /** An operation over instances, with a set duration and status. */
    private static String op(Tracer t, String name, String operation, long startMs, long ms, boolean error, String... instances) {
        Span root = t.spanBuilder(name).setNoParent().setStartTimestamp(T0 + startMs * MS, TimeUnit.NANOSECONDS).startSpan();
        root.setAttribute("sabot.operation", operation);
        for (String i : instances) {
            Span s = t.spanBuilder(operation + " " + i).setParent(Context.root().with(root))
                    .setStartTimestamp(T0 + startMs * MS, TimeUnit.NANOSECONDS).startSpan();
            s.setAttribute("sabot.instance", i);
            s.end(T0 + (startMs + ms / 2) * MS, TimeUnit.NANOSECONDS);
        }
        if (error) root.setStatus(StatusCode.ERROR, "1 of " + instances.length + " failed");
        root.end(T0 + (startMs + ms) * MS, TimeUnit.NANOSECONDS);
        return root.getSpanContext().getTraceId();
    }

    private static List<String> names(List<TraceView> ts) { return ts.stream().map(TraceView::name).toList(); }

    @Test
    void findsByAgentOperationStatusAndDurationInTheStoreAndInMemory() {
        try (Store store = Store.open(home, StoreOptions.defaults().withScheduledRetention(false)); Telemetry tel = Telemetry.create(store, Map.of())) {
            Tracer t = tel.tracer();
            op(t, "restart (2 instances)", "restart", 0, 1200, false, "fraud_detector-0", "fraud_detector-1");
            op(t, "start (1 instance)", "start", 10, 80, true, "enricher-0");
            op(t, "crash-restart fraud_detector-12", "crash-restart", 20, 300, false, "fraud_detector-12");
            op(t, "rolling-restart (1 instance)", "rolling-restart", 30, 2500, false, "fraud_detector_v2-0");
            op(t, "stop (1 instance)", "stop", 40, 50, false, "alerter-0");
            for (boolean stored : new boolean[] {false, true}) {
                if (stored) assertThat(tel.forceFlush()).isTrue();
                String when = stored ? "stored" : "in memory";
                assertThat(names(tel.searchTraces(new TraceQuery("fraud_detector", null, null, null, null, 50)))).as(when)
                        .containsExactly("crash-restart fraud_detector-12", "restart (2 instances)"); // not fraud_detector_v2
                assertThat(names(tel.searchTraces(new TraceQuery("fraud_detector-1", null, null, null, null, 50)))).as(when)
                        .containsExactly("restart (2 instances)");
                assertThat(names(tel.searchTraces(new TraceQuery(null, "restart", null, null, null, 50)))).as(when)
                        .containsExactly("restart (2 instances)");
                assertThat(names(tel.searchTraces(new TraceQuery(null, "rolling", null, null, null, 50)))).as(when)
                        .containsExactly("rolling-restart (1 instance)");
                assertThat(names(tel.searchTraces(new TraceQuery(null, null, "error", null, null, 50)))).as(when)
                        .containsExactly("start (1 instance)");
                assertThat(names(tel.searchTraces(new TraceQuery(null, null, "ok", 1000L, null, 50)))).as(when)
                        .containsExactly("rolling-restart (1 instance)", "restart (2 instances)");
                assertThat(names(tel.searchTraces(new TraceQuery(null, null, null, null, 80L, 50)))).as(when)
                        .containsExactly("stop (1 instance)", "start (1 instance)");
                assertThat(names(tel.searchTraces(new TraceQuery("fraud_detector", "crash", "ok", 100L, 500L, 50)))).as(when)
                        .containsExactly("crash-restart fraud_detector-12");
                assertThat(tel.searchTraces(new TraceQuery(null, "restart", null, null, null, 1))).as(when).hasSize(1);
                // LIKE's own characters are taken literally
                assertThat(tel.searchTraces(new TraceQuery("%", null, null, null, null, 50))).as(when).isEmpty();
            }
        }
        // a new process: only the store answers
        try (Store store = Store.open(home, StoreOptions.defaults().withScheduledRetention(false)); Telemetry tel = Telemetry.create(store, Map.of())) {
            assertThat(names(tel.searchTraces(new TraceQuery("enricher", null, "error", null, null, 50)))).containsExactly("start (1 instance)");
        }
    }
}
