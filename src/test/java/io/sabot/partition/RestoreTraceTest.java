package io.sabot.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.LifecycleResult;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.host.EngineHost;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores inside the operation that moved the partition: restarting one of two stateful fraud
 * detectors moves its partitions to the other and back; the restart's trace holds, under the
 * rebalance epochs, a "restore" span per store partition each new owner restored before
 * processing it, with what it replayed and from where.
 */
class RestoreTraceTest {
    @TempDir
    Path home;

    @Test
    void aRestartsTraceHoldsTheRestoresOfThePartitionsItMoved() throws Exception {
        EngineHost host = EngineHost.open(home, "test");
        LocalEngine engine = host.engine();
        Set<Long> seen = new HashSet<>();
        engine.onSpawn((id, pid, pgid, ticks, spec) -> {
            synchronized (seen) { seen.add(pid); }
        });
        try {
            engine.deploy(Specs.parse("{\"topics\":[{\"name\":\"tx\",\"partitions\":6,\"ratePerSec\":200}],\"agents\":[{\"name\":\"fd\","
                    + "\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2,\"stopGraceMs\":3000,"
                    + "\"state\":{\"backend\":\"memory\"}}]}", home));
            assertThat(engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(30), () -> {
                List<PartitionView> ps = engine.partitions("tx");
                return ps.size() == 6 && ps.stream().allMatch(p -> p.owner() != null && p.committedOffset() > 100)
                        && ps.stream().map(PartitionView::owner).distinct().count() == 2;
            }, () -> "both instances own partitions with state: " + engine.partitions("tx"));

            LifecycleResult r = engine.restart(Selection.of("fd-0"), false, null).get(0);
            assertThat(r.success()).as(r.toString()).isTrue();
            String traceId = r.traceId();
            // fd-1 restores fd-0's partitions while fd-0 is away, then fd-0 restores them again when they come back
            Await.until(Duration.ofSeconds(60), () -> {
                TraceView t = trace(engine, traceId);
                if (t == null || names(t).stream().noneMatch(n -> n.startsWith("restore fd-1 tx["))) return false;
                // spans join the trace as they end: the epoch (held open by its restores) ends after them
                SpanView rs = t.spans().stream().filter(x -> x.name().startsWith("restore fd-0 tx[")).findFirst().orElse(null);
                return rs != null && t.spans().stream().anyMatch(x -> x.spanId().equals(rs.parentSpanId()));
            }, () -> "restore spans in trace " + traceId + ": " + (trace(engine, traceId) == null ? "none" : names(trace(engine, traceId)))
                    + "\nALL: " + engine.traces(200).stream().map(tv -> tv.traceId().substring(0, 6) + "=" + names(tv)).toList()
                    + "\nPARTS: " + engine.partitions("tx"));
            TraceView t = trace(engine, traceId);
            Map<String, SpanView> byId = new HashMap<>();
            for (SpanView s : t.spans()) byId.put(s.spanId(), s);
            SpanView restore = t.spans().stream().filter(s -> s.name().startsWith("restore fd-0 tx[")).findFirst().orElseThrow();
            assertThat(restore.name()).endsWith("] cards");
            assertThat(byId.get(restore.parentSpanId())).as("the restore hangs under the epoch that gave the partition")
                    .isNotNull().extracting(SpanView::name).asString().startsWith("rebalance tx epoch ");
            assertThat(restore.attributes().get("sabot.restore.source")).asString().isNotEmpty();
            assertThat(restore.attributes()).containsKey("sabot.restore.restored");
            assertThat(restore.status()).isNotEqualTo("ERROR");
        } finally {
            long watchdog = engine.watchdog().pid();
            host.close();
            synchronized (seen) { for (long p : seen) Procs.kill(p); }
            Procs.kill(watchdog);
        }
    }

    private static TraceView trace(LocalEngine e, String id) {
        return e.traces(200).stream().filter(t -> t.traceId().equals(id)).findFirst().orElse(null);
    }

    private static List<String> names(TraceView t) { return t.spans().stream().map(SpanView::name).toList(); }
}
