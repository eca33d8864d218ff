package io.sabot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event delivery: publishing never waits for a listener, transitions are never dropped, metrics coalesce. */
class EventBusTest {
    @TempDir
    Path home;

    static EngineEvent transition(int i) {
        return new EngineEvent.TransitionEvent(new Transition(i, "a-0", null, InstanceState.RUNNING, "test", null, null, null, i, null));
    }

    static EngineEvent metrics(int i) {
        return new EngineEvent.MetricsEvent(new MetricsSnapshot(i, 0, 0, 0, Map.of()));
    }

    @Test
    void aStalledListenerNeverBlocksPublishingAndLosesNoTransition() throws Exception {
        try (EventBus bus = new EventBus()) {
            CountDownLatch release = new CountDownLatch(1);
            List<Long> seen = new CopyOnWriteArrayList<>();
            bus.subscribe(e -> {
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                if (e instanceof EngineEvent.TransitionEvent t) seen.add(t.transition().timeMs());
            });
            for (int i = 0; i < 50_000; i++) bus.publish(transition(i));
            // publishing 50,000 events returned while the listener has not handled one
            assertThat(seen).isEmpty();
            release.countDown();
            bus.flush();
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < 50_000; i++) expected.add(i);
            assertThat(seen).as("every transition, in order").isEqualTo(expected);
        }
    }

    @Test
    void metricsWaitingForASlowListenerAreReplacedByTheNewest() throws Exception {
        try (EventBus bus = new EventBus()) {
            CountDownLatch release = new CountDownLatch(1);
            List<Long> seen = new CopyOnWriteArrayList<>();
            bus.subscribe(e -> {
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                if (e instanceof EngineEvent.MetricsEvent m) seen.add(m.metrics().timeMs());
            });
            bus.publish(transition(0)); // the listener is stuck on this one
            for (int i = 1; i <= 100; i++) bus.publish(metrics(i));
            release.countDown();
            bus.flush();
            assertThat(seen).containsExactly(100L);
        }
    }

    @Test
    void aListenerThatCallsTheEngineDoesNotDeadlockAgainstADeploy() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            List<Integer> agentsSeen = new CopyOnWriteArrayList<>();
            f.engine.subscribe(e -> {
                if (e instanceof EngineEvent.SpecEvent) agentsSeen.add(f.engine.spec().agents().size()); // reads the engine from its event
            });
            for (int i = 0; i < 20; i++) f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s" + i, 1, null)), home));
            Await.until(Duration.ofSeconds(10), () -> agentsSeen.size() == 20, () -> "spec events: " + agentsSeen);
            assertThat(agentsSeen.get(19)).isEqualTo(20);
        }
    }
}
