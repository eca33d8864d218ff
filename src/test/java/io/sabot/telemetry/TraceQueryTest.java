package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which traces a query matches: agent or instance, operation, status, duration. */
class TraceQueryTest {
    private static final long MS = 1_000_000L;

    private static TraceView trace(String name, String status, long ms, String... instances) {
        String id = Integer.toHexString(name.hashCode()) + "0000000000000000000000000000";
        id = id.substring(0, 32);
        SpanView root = new SpanView(id, "00000000000000aa", null, name, 0, ms * MS, status, Map.of("sabot.operation", name.split(" ")[0]));
        List<SpanView> spans = new java.util.ArrayList<>(List.of(root));
        int n = 0;
        for (String i : instances) {
            spans.add(new SpanView(id, String.format("%016x", ++n), root.spanId(), "start " + i, 0, MS, "OK", Map.of("sabot.instance", i)));
        }
        return TraceView.of(root, spans);
    }

    private static TraceQuery q(String agent, String op, String status, Long min, Long max) { return new TraceQuery(agent, op, status, min, max, 50); }

    @Test
    void filtersCombine() {
        TraceView restart = trace("restart (2 instances)", "OK", 1200, "fraud_detector-0", "fraud_detector-1");
        TraceView failed = trace("start (1 instance)", "ERROR", 80, "enricher-0");
        TraceView crash = trace("crash-restart fraud_detector-12", "OK", 300);
        assertThat(q("fraud_detector", null, null, null, null).matches(restart)).isTrue();
        assertThat(q("fraud_detector-1", null, null, null, null).matches(restart)).isTrue();
        assertThat(q("fraud_detector-2", null, null, null, null).matches(restart)).isFalse();
        assertThat(q("fraud", null, null, null, null).matches(restart)).as("a prefix is not an agent").isFalse();
        assertThat(q("fraud_detector-12", null, null, null, null).matches(crash)).as("the name names the instance").isTrue();
        assertThat(q(null, "restart", null, null, null).matches(restart)).isTrue();
        assertThat(q(null, "restart", null, null, null).matches(crash)).isFalse();
        assertThat(q(null, "crash", null, null, null).matches(crash)).isTrue();
        assertThat(q(null, null, "error", null, null).matches(failed)).isTrue();
        assertThat(q(null, null, "ok", null, null).matches(failed)).isFalse();
        assertThat(q(null, null, null, 1000L, null).matches(restart)).isTrue();
        assertThat(q(null, null, null, 1000L, null).matches(failed)).isFalse();
        assertThat(q(null, null, null, null, 100L).matches(failed)).isTrue();
        assertThat(q("enricher", "start", "error", 50L, 100L).matches(failed)).isTrue();
        assertThat(q("enricher", "start", "ok", 50L, 100L).matches(failed)).isFalse();
        assertThat(TraceQuery.recent(5).isEmpty()).isTrue();
    }

    @Test
    void badCriteriaAreRefusedWithTheReason() {
        assertThatThrownBy(() -> q(null, null, "broken", null, null)).hasMessageContaining("status must be ok or error");
        assertThatThrownBy(() -> q(null, null, null, -1L, null)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new TraceQuery(null, null, null, null, null, 0)).hasMessageContaining("limit");
    }
}
