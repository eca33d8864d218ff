package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceTreePrinterTest {
    private static SpanView s(String id, String parent, String name, long startMs, double durMs, String status) {
        return new SpanView("t", id, parent, name, startMs * 1_000_000, (long) (durMs * 1_000_000), status, Map.of());
    }

    @Test
    void rendersAnIndentedTreeWithDurations() {
        TraceView t = TraceView.of(null, List.of(
                s("c", "a", "restart fraud_detector-1", 410, 402.3, "ERROR"),
                s("a", null, "restart fraud_detector (3 instances)", 0, 812.4, "OK"),
                s("b", "a", "restart fraud_detector-0", 1, 402.1, "OK"),
                s("b1", "b", "stop.signal", 2, 0.3, "UNSET"),
                s("b2", "b", "start", 5, 120.0, "OK"),
                s("o", "elsewhere", "orphan", 500, 1, "UNSET")));
        assertThat(t.name()).isEqualTo("restart fraud_detector (3 instances)");
        assertThat(TraceTreePrinter.render(t)).isEqualTo(String.join("\n",
                "restart fraud_detector (3 instances)  812.4 ms  OK",
                "├─ restart fraud_detector-0  402.1 ms",
                "│  ├─ stop.signal  0.3 ms",
                "│  └─ start  120.0 ms",
                "├─ restart fraud_detector-1  402.3 ms  ERROR",
                "└─ orphan  1.0 ms",
                ""));
    }

    @Test
    void formatsDurations() {
        assertThat(TraceTreePrinter.formatDuration(300_000)).isEqualTo("0.3 ms");
        assertThat(TraceTreePrinter.formatDuration(12_345_000_000L)).isEqualTo("12.35 s");
        assertThat(TraceTreePrinter.formatDuration(600_000_000_000L)).isEqualTo("10.0 min");
    }
}
