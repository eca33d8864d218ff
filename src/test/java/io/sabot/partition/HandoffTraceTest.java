package io.sabot.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.telemetry.CriticalPath;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceQuery;
import io.sabot.telemetry.TraceView;
import io.sabot.testing.Await;
import io.sabot.testing.HostFixture;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handoffs inside the operation that caused them: restarting one of two built-in consumers
 * moves its partitions away and back; the restart's trace holds a "rebalance" span with the
 * revokes (until the agent's ack) and the assigns under that instance's restart span, and the
 * trace is found by searching for the instance that took the partitions over.
 */
class HandoffTraceTest {
    @TempDir
    Path home;

    @Test
    void aRestartsTraceHoldsTheRevokesAcksAndAssignsItCaused() throws Exception {
        try (HostFixture f = new HostFixture(home)) {
            LocalEngine engine = f.engine;
            engine.deploy(Specs.parse("{\"topics\":[{\"name\":\"tx\",\"partitions\":6,\"ratePerSec\":50}],\"agents\":[{\"name\":\"fd\","
                    + "\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2,\"stopGraceMs\":3000}]}", home));
            assertThat(engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(30), () -> {
                List<PartitionView> ps = engine.partitions("tx");
                return ps.size() == 6 && ps.stream().allMatch(p -> p.owner() != null) && ps.stream().map(PartitionView::owner).distinct().count() == 2;
            }, () -> "both instances own partitions: " + engine.partitions("tx"));

            LifecycleResult r = engine.restart(Selection.of("fd-0"), false, null).get(0);
            assertThat(r.success()).as(r.toString()).isTrue();
            String traceId = r.traceId();
            // the trace gets the handoff spans as they end: wait for fd-0 to be given its partitions back
            // generous: an agent JVM on a loaded machine may take seconds to ack (the wait ends as soon as the spans are there)
            Await.until(Duration.ofSeconds(60), () -> {
                TraceView t = trace(engine, traceId);
                if (t == null || names(t).stream().noneMatch(n -> n.startsWith("assign fd-0 tx"))) return false;
                // spans join the trace as they end: the epoch ends after its last handoff, so wait for it too
                SpanView rv = t.spans().stream().filter(s -> s.name().startsWith("revoke fd-1 tx")).findFirst().orElse(null);
                return rv != null && t.spans().stream().anyMatch(s -> s.spanId().equals(rv.parentSpanId()));
            }, () -> "handoff spans in trace " + traceId + ": " + (trace(engine, traceId) == null ? "none" : names(trace(engine, traceId)))
                    + "; handoffs elsewhere: " + handoffsElsewhere(engine, traceId) + "; status: " + engine.status(Selection.everything()));
            TraceView t = trace(engine, traceId);
            Map<String, SpanView> byId = new HashMap<>();
            for (SpanView s : t.spans()) byId.put(s.spanId(), s);
            SpanView revoke = t.spans().stream().filter(s -> s.name().startsWith("revoke fd-1 tx")).findFirst().orElseThrow();
            SpanView epoch = byId.get(revoke.parentSpanId());
            assertThat(epoch.name()).startsWith("rebalance tx epoch ");
            SpanView cause = byId.get(epoch.parentSpanId());
            assertThat(cause).as("the epoch hangs under a span of the restart").isNotNull();
            assertThat(cause.attributes().get("sabot.instance")).isEqualTo("fd-0");
            assertThat(revoke.durationNanos()).as("a revoke lasts until its ack").isPositive();
            assertThat(revoke.status()).isNotEqualTo("ERROR");
            // found by the instance that gave partitions up, though the operation was on fd-0
            assertThat(engine.traces(new TraceQuery("fd-1", "restart", null, null, null, 20))).extracting(TraceView::traceId).contains(traceId);
            assertThat(CriticalPath.of(t.spans()).summary(t.spans())).isNotEmpty();
            assertThat(engine.status(Selection.everything())).allMatch(s -> s.state() == InstanceState.RUNNING);
        }
    }

    private static TraceView trace(LocalEngine e, String id) {
        return e.traces(200).stream().filter(t -> t.traceId().equals(id)).findFirst().orElse(null);
    }

    /** Diagnostics: the traces other than {@code id} that hold handoff spans, with those spans. */
    private static List<String> handoffsElsewhere(LocalEngine e, String id) {
        return e.traces(50).stream().filter(t -> !t.traceId().equals(id))
                .map(t -> t.traceId() + " " + t.name() + " " + t.spans().stream().map(SpanView::name)
                        .filter(n -> n.startsWith("rebalance") || n.startsWith("revoke") || n.startsWith("assign")).toList())
                .filter(x -> x.contains("rebalance") || x.contains("revoke") || x.contains("assign")).toList();
    }

    private static List<String> names(TraceView t) { return t.spans().stream().map(SpanView::name).toList(); }
}
