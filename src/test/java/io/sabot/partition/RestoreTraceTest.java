package io.sabot.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.LifecycleResult;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import io.sabot.testing.Await;
import io.sabot.testing.HostFixture;
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
 * Restores inside the operation that moved the partition. Stopping one of two stateful fraud
 * detectors moves its partitions to the other, and starting it again moves them back: each
 * operation's trace holds, under its rebalance epoch, a "restore" span per store partition the
 * new owner restored before processing it, with what it replayed and from where. A restart
 * quicker than the manager's debounce folds "down" and "up" into one epoch and moves nothing
 * (the restarted instance still restores what it held, since its state died with it); which of
 * the two a restart gets depends on timing, so the move is held by the stop and start test.
 */
class RestoreTraceTest {
    @TempDir
    Path home;

    @Test
    void aRestartsTraceHoldsTheRestoresOfThePartitionsItMoved() throws Exception {
        try (HostFixture f = new HostFixture(home)) {
            LocalEngine engine = f.engine;
            startTwoDetectors(engine);
            LifecycleResult r = engine.restart(Selection.of("fd-0"), false, null).get(0);
            assertThat(r.success()).as(r.toString()).isTrue();
            // the restarted fd-0 restores its partitions (its in-memory state died with it), whether or not
            // they went to fd-1 meanwhile; spans join the trace as they end: the epoch (held open by its restores) after them
            SpanView restore = awaitRestore(engine, r.traceId(), "fd-0");
            TraceView t = trace(engine, r.traceId());
            assertRestoreUnderEpoch(t, restore);
            if (names(t).stream().anyMatch(n -> n.startsWith("restore fd-1 tx["))) {
                SpanView taken = awaitRestore(engine, r.traceId(), "fd-1");
                assertRestoreUnderEpoch(trace(engine, r.traceId()), taken);
            }
        }
    }

    @Test
    void aStopsTraceHoldsTheOtherInstancesRestoresAndTheStartsTraceTheReturn() throws Exception {
        try (HostFixture f = new HostFixture(home)) {
            LocalEngine engine = f.engine;
            startTwoDetectors(engine);
            LifecycleResult stop = engine.stop(Selection.of("fd-0"), false, null).get(0);
            assertThat(stop.success()).as(stop.toString()).isTrue();
            // fd-0 stays down, so the debounced epoch gives fd-1 every partition and fd-1 restores fd-0's three
            Await.until(Duration.ofSeconds(60), () -> {
                TraceView t = trace(engine, stop.traceId());
                return t != null && names(t).stream().filter(n -> n.startsWith("restore fd-1 tx[")).count() == 3
                        && restoresUnderEpoch(t, "fd-1");
            }, () -> dump(engine, stop.traceId()));
            TraceView st = trace(engine, stop.traceId());
            assertThat(names(st)).as("fd-1 restores what fd-0 held")
                    .contains("restore fd-1 tx[0] cards", "restore fd-1 tx[1] cards", "restore fd-1 tx[2] cards");
            assertRestoreUnderEpoch(st, firstRestore(st, "fd-1"));

            LifecycleResult start = engine.start(Selection.of("fd-0"), null, null).get(0);
            assertThat(start.success()).as(start.toString()).isTrue();
            SpanView back = awaitRestore(engine, start.traceId(), "fd-0");
            assertRestoreUnderEpoch(trace(engine, start.traceId()), back);
        }
    }

    private void startTwoDetectors(LocalEngine engine) throws Exception {
        engine.deploy(Specs.parse("{\"topics\":[{\"name\":\"tx\",\"partitions\":6,\"ratePerSec\":200}],\"agents\":[{\"name\":\"fd\","
                + "\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2,\"stopGraceMs\":3000,"
                + "\"state\":{\"backend\":\"memory\"}}]}", home));
        assertThat(engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
        Await.until(Duration.ofSeconds(30), () -> {
            List<PartitionView> ps = engine.partitions("tx");
            return ps.size() == 6 && ps.stream().allMatch(p -> p.owner() != null && p.committedOffset() > 100)
                    && ps.stream().map(PartitionView::owner).distinct().count() == 2;
        }, () -> "both instances own partitions with state: " + engine.partitions("tx"));
    }

    /** Waits until the trace holds a restore by {@code instance} whose parent span has joined the trace too. */
    private static SpanView awaitRestore(LocalEngine engine, String traceId, String instance) {
        Await.until(Duration.ofSeconds(60), () -> {
            TraceView t = trace(engine, traceId);
            return t != null && restoresUnderEpoch(t, instance);
        }, () -> dump(engine, traceId));
        return firstRestore(trace(engine, traceId), instance);
    }

    private static SpanView firstRestore(TraceView t, String instance) {
        return t.spans().stream().filter(s -> s.name().startsWith("restore " + instance + " tx[")).findFirst().orElseThrow();
    }

    /** Some restore by {@code instance} is in the trace and every such restore's parent is too. */
    private static boolean restoresUnderEpoch(TraceView t, String instance) {
        Set<String> ids = new HashSet<>();
        for (SpanView s : t.spans()) ids.add(s.spanId());
        List<SpanView> rs = t.spans().stream().filter(x -> x.name().startsWith("restore " + instance + " tx[")).toList();
        return !rs.isEmpty() && rs.stream().allMatch(x -> ids.contains(x.parentSpanId()));
    }

    private static void assertRestoreUnderEpoch(TraceView t, SpanView restore) {
        Map<String, SpanView> byId = new HashMap<>();
        for (SpanView s : t.spans()) byId.put(s.spanId(), s);
        assertThat(restore.name()).endsWith("] cards");
        assertThat(byId.get(restore.parentSpanId())).as("the restore hangs under the epoch that gave the partition: " + restore.name()
                        + " in " + t.spans().stream().map(s -> s.name() + "<" + (byId.get(s.parentSpanId()) == null ? "-" : byId.get(s.parentSpanId()).name())).toList())
                .isNotNull().extracting(SpanView::name).asString().startsWith("rebalance tx epoch ");
        assertThat(restore.attributes().get("sabot.restore.source")).asString().isNotEmpty();
        assertThat(restore.attributes()).containsKey("sabot.restore.restored");
        assertThat(restore.status()).isNotEqualTo("ERROR");
    }

    private static String dump(LocalEngine engine, String traceId) {
        return "restore spans in trace " + traceId + ": " + (trace(engine, traceId) == null ? "none" : names(trace(engine, traceId)))
                + "\nALL: " + engine.traces(200).stream().map(tv -> tv.traceId().substring(0, 6) + "=" + names(tv)).toList()
                + "\nPARTS: " + engine.partitions("tx");
    }

    private static TraceView trace(LocalEngine e, String id) {
        return e.traces(200).stream().filter(t -> t.traceId().equals(id)).findFirst().orElse(null);
    }

    private static List<String> names(TraceView t) { return t.spans().stream().map(SpanView::name).toList(); }
}
