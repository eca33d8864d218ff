package io.sabot.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.telemetry.Telemetry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The warm-up takes a crash's decisions and leaves no trace: no span of it reaches an engine's telemetry. */
class CrashPathWarmUpTest {
    @Test
    void itRunsACrashesDecisionsAndLeavesNoTrace() throws Exception {
        assertThat(CrashPathWarmUp.decisions(3)).as("each round: death, zero backoff, one start").isEqualTo(3);

        List<Object> exported = new CopyOnWriteArrayList<>();
        Telemetry engines = Telemetry.builder().env(Map.of()).sink((spans, roots) -> {
            exported.addAll(spans);
            return spans.size();
        }).exportDelay(Duration.ofMillis(10)).build();
        try {
            Thread t = CrashPathWarmUp.inBackground();
            t.join(60_000);
            assertThat(t.isAlive()).as("the warm-up ends").isFalse();
            engines.tracer().spanBuilder("the engine's own").startSpan().end();
            io.sabot.testing.Await.until(Duration.ofSeconds(10), () -> !exported.isEmpty(), "the engine's own span exported");
            assertThat(engines.recentTraces(100)).hasSize(1);
            assertThat(exported).hasSize(1);
        } finally {
            engines.close();
        }
    }
}
