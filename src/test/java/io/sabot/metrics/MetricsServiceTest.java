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
            try (io.sabot.engine.Subscription viewer = f.engine.watchFigures()) { // someone looks: full rate
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

    @Test
    void withNoOneLookingAPassRunsEveryFewTicksAndAViewerGetsFreshFiguresAtOnce() throws Exception {
        EngineRuntime rt = new EngineRuntime(EngineConfig.defaults(home));
        try (EngineFixture f = new EngineFixture(new LocalEngine(rt, Answers.NONE))) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("idle", 2, null)), home));
            assertThat(f.engine.start(Selection.everything(), null, 10_000L)).allMatch(r -> r.success());
            assertThat(rt.figuresWatched()).as("no viewer, no status read yet").isFalse();
            List<MetricsSnapshot> snaps = new ArrayList<>();
            // the sampler's own publications, as they happen (the event bus would coalesce snapshots)
            io.sabot.engine.Ports.Events seen = new io.sabot.engine.Ports.Events() {
                @Override
                public io.sabot.engine.Subscription subscribe(io.sabot.engine.EngineListener l) { return rt.subscribe(l); }

                @Override
                public void publish(EngineEvent e) {
                    if (e instanceof EngineEvent.MetricsEvent me) synchronized (snaps) { snaps.add(me.metrics()); }
                }
            };
            MetricsService ms = new MetricsService(seen, rt, 3_600_000); // ticks driven by the test
            try {
                int ticks = 4 * MetricsService.UNWATCHED_EVERY_TICKS;
                for (int i = 0; i < ticks; i++) ms.tick();
                synchronized (snaps) {
                    assertThat(snaps).as("one pass every " + MetricsService.UNWATCHED_EVERY_TICKS + " ticks").hasSize(4);
                    assertThat(snaps.get(0).instances()).containsKeys("idle-0", "idle-1"); // a new process: sampled at its first pass
                    snaps.clear();
                }
                try (io.sabot.engine.Subscription viewer = f.engine.watchFigures()) {
                    assertThat(rt.figuresWatched()).isTrue();
                    ms.tick(); // not a multiple of the unwatched pass: the viewer still gets a full pass at once
                        synchronized (snaps) {
                        assertThat(snaps).hasSize(1);
                        assertThat(snaps.get(0).instances()).containsKeys("idle-0", "idle-1");
                    }
                }
                assertThat(rt.figuresWatched()).as("the viewer left").isFalse();
                f.engine.status(Selection.everything());
                assertThat(rt.figuresWatched()).as("a status read is a look").isTrue();
            } finally {
                ms.close();
            }
        }
    }
}
