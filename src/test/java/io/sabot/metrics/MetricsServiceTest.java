package io.sabot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.Answers;
import io.sabot.engine.EngineConfig;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineRuntime;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.Selection;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler samples a busy process every tick and an idle one ever more rarely, in one pass. */
class MetricsServiceTest {
    @TempDir
    Path home;

    @Test
    void idleProcessesAreSampledLessOftenBusyOnesEveryTick() throws Exception {
        EngineRuntime rt = new EngineRuntime(EngineConfig.defaults(home));
        try (EngineFixture f = new EngineFixture(new LocalEngine(rt, Answers.NONE))) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("idle", 3, null),
                    "{\"name\":\"busy\",\"command\":[\"sh\",\"-c\",\"while :; do :; done\"]}"), home));
            assertThat(f.engine.start(Selection.everything(), null, 10_000L)).allMatch(r -> r.success());
            Thread.sleep(300); // let the fresh processes finish their exec
            Map<String, AtomicInteger> samples = new ConcurrentHashMap<>();
            List<MetricsSnapshot> snaps = new ArrayList<>();
            f.engine.subscribe(e -> {
                if (e instanceof EngineEvent.MetricsEvent me) {
                    MetricsSnapshot m = me.metrics();
                    synchronized (snaps) { snaps.add(m); }
                    for (String id : m.instances().keySet()) samples.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                }
            });
            MetricsService ms = new MetricsService(rt, rt, 3_600_000); // ticks driven by the test
            try {
                for (int i = 0; i < 12; i++) {
                    ms.tick();
                    Thread.sleep(150);
                }
            } finally {
                ms.close();
            }
            assertThat(snaps).hasSize(12);
            assertThat(samples.get("busy-0").get()).as("busy: every tick").isGreaterThanOrEqualTo(10);
            for (String id : List.of("idle-0", "idle-1", "idle-2")) {
                assertThat(samples.get(id).get()).as(id + ": backs off (ticks 1, 2, 4, 8)").isBetween(3, 6);
            }
            for (InstanceStatus s : f.engine.status(Selection.everything())) {
                assertThat(s.memoryBytes()).as(s.id() + " memory in status").isPositive();
            }
            assertThat(f.engine.status(Selection.of("busy")).get(0).cpuPercent()).isPositive();
        }
    }
}
