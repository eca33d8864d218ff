package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The critical path of known traces, and its one-line summary. */
class CriticalPathTest {
    static final String T = "0af7651916cd43dd8448eb211c80319c";
    private static final long MS = 1_000_000L, T0 = 1_700_000_000_000L * MS;
    private int ids;

    SpanView span(String parent, String name, long startMs, long endMs, Map<String, Object> attrs) {
        return new SpanView(T, String.format("%016x", ++ids), parent, name, T0 + startMs * MS, (endMs - startMs) * MS, "OK", attrs);
    }

    /** A rolling-style restart of three instances where fraud_detector-1 is slow to get ready. */
    List<SpanView> restartTrace() {
        List<SpanView> s = new ArrayList<>();
        SpanView root = span(null, "restart (3 instances)", 0, 1200, Map.of("sabot.operation", "restart"));
        s.add(root);
        long[][] steps = {{0, 1, 100, 120, 300}, {0, 2, 250, 350, 1190}, {0, 3, 200, 260, 500}};
        for (int i = 0; i < 3; i++) {
            long[] t = steps[i];
            SpanView r = span(root.spanId(), "restart fraud_detector-" + i, t[0], t[4], Map.of("sabot.instance", "fraud_detector-" + i));
            s.add(r);
            s.add(span(r.spanId(), "stop.signal", t[0], t[1], Map.of()));
            s.add(span(r.spanId(), "stop.await_exit", t[1], t[2], Map.of()));
            s.add(span(r.spanId(), "spawn", t[2], t[3], Map.of()));
            s.add(span(r.spanId(), "await_ready", t[3], t[4], Map.of()));
        }
        return s;
    }

    @Test
    void theSlowestInstanceDecidesARestart() {
        List<SpanView> spans = restartTrace();
        CriticalPath cp = CriticalPath.of(spans);
        assertThat(cp.segments()).extracting(seg -> seg.span().name() + " " + (seg.startNanos() - T0) / MS + "-" + (seg.endNanos() - T0) / MS)
                .containsExactly("stop.signal 0-2", "stop.await_exit 2-250", "spawn 250-350", "await_ready 350-1190", "restart (3 instances) 1190-1200");
        assertThat(cp.totalNanos()).isEqualTo(1200 * MS);
        assertThat(cp.segments().stream().mapToLong(CriticalPath.Segment::nanos).sum()).isEqualTo(cp.totalNanos());
        assertThat(cp.summary(spans)).isEqualTo("840 ms of 1.2 s waiting for readiness of fraud_detector-1");
        assertThat(cp.byActivity(spans)).containsKeys("waiting for fraud_detector-1 to exit", "spawning fraud_detector-1");
        // the other instances' steps are off the path
        assertThat(cp.spanIds()).hasSize(5);
    }

    @Test
    void overlappingChildrenAndTheParentsOwnTime() {
        SpanView root = span(null, "deploy", 0, 100, Map.of());
        SpanView a = span(root.spanId(), "a", 10, 40, Map.of());
        SpanView b = span(root.spanId(), "b", 30, 70, Map.of()); // overlaps a, ends later
        SpanView c = span(b.spanId(), "c", 50, 60, Map.of());
        List<SpanView> spans = List.of(root, a, b, c);
        CriticalPath cp = CriticalPath.of(spans);
        assertThat(cp.segments()).extracting(seg -> seg.span().name() + " " + (seg.startNanos() - T0) / MS + "-" + (seg.endNanos() - T0) / MS)
                .containsExactly("deploy 0-10", "a 10-30", "b 30-50", "c 50-60", "b 60-70", "deploy 70-100");
        assertThat(cp.summary(spans)).isEqualTo("40 ms of 100 ms in deploy");
    }

    @Test
    void workThatOutlivesTheOperationExtendsThePath() {
        SpanView root = span(null, "restart fraud_detector-0", 0, 300, Map.of("sabot.instance", "fraud_detector-0"));
        SpanView handoff = span(root.spanId(), "rebalance transactions epoch 4", 280, 900, Map.of());
        SpanView revoke = span(handoff.spanId(), "revoke fraud_detector-2 transactions[3, 7]", 285, 880, Map.of());
        List<SpanView> spans = List.of(root, handoff, revoke);
        CriticalPath cp = CriticalPath.of(spans);
        assertThat(cp.totalNanos()).isEqualTo(900 * MS);
        assertThat(cp.summary(spans)).isEqualTo("595 ms of 900 ms waiting for fraud_detector-2 transactions[3, 7] to commit and give up partitions");
    }

    @Test
    void tenThousandSpansDeepOrWide() {
        List<SpanView> chain = new ArrayList<>();
        String parent = null;
        for (int i = 0; i < 10_000; i++) {
            SpanView s = span(parent, "step " + i, i, 20_000 - i, Map.of());
            chain.add(s);
            parent = s.spanId();
        }
        CriticalPath deep = CriticalPath.of(chain); // 10,000 levels: no recursion to overflow
        assertThat(deep.totalNanos()).isEqualTo(20_000 * MS);
        assertThat(deep.segments().stream().mapToLong(CriticalPath.Segment::nanos).sum()).isEqualTo(20_000 * MS);
        assertThat(CriticalPath.of(List.of()).segments()).isEmpty();
    }
}
