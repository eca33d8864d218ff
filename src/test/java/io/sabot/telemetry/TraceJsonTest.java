package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON of {@code sabot telemetry traces --json} (contract.md) from plain Jackson. */
class TraceJsonTest {
    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    @Test
    void tracesSerializeToTheContractShape() throws Exception {
        SpanView root = new SpanView("t1", "a", null, "restart x", 1_000, 5_000, "OK", Map.of("agent", "x"));
        SpanView child = new SpanView("t1", "b", "a", "stop", 2_000, 1_000, "ERROR", Map.of("API_KEY", "****"));
        String json = new ObjectMapper().writeValueAsString(List.of(TraceView.of(null, List.of(child, root))));
        JsonNode t = new ObjectMapper().readTree(json).get(0);
        assertThat(names(t)).containsExactly("traceId", "name", "startEpochNanos", "durationNanos", "status", "spans");
        assertThat(t.get("name").asText()).isEqualTo("restart x");
        assertThat(t.get("durationNanos").asLong()).isEqualTo(5_000);
        JsonNode s0 = t.get("spans").get(0);
        assertThat(names(s0)).containsExactlyInAnyOrder("traceId", "spanId", "parentSpanId", "name", "startEpochNanos",
                "durationNanos", "status", "attributes");
        assertThat(s0.get("parentSpanId").isNull()).isTrue();
        assertThat(t.get("spans").get(1).get("parentSpanId").asText()).isEqualTo("a");
        assertThat(t.get("spans").get(1).get("attributes").get("API_KEY").asText()).isEqualTo("****");
    }
}
