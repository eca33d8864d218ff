package io.sabot.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineListener;
import io.sabot.engine.InstanceState;
import io.sabot.engine.Transition;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One collection once the fleet has been quiet after work, none while it is busy or already collected. */
class IdleCollectionTest {
    @Test
    void collectsOnceAfterWorkWhenQuietAndNotAgainUntilThereIsWork() throws Exception {
        AtomicReference<EngineListener> events = new AtomicReference<>();
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AtomicInteger gcs = new AtomicInteger();
        try (IdleCollection idle = new IdleCollection(l -> {
            events.set(l);
            return () -> { };
        }, 10_000, 3_600_000, now::get, () -> {
            gcs.incrementAndGet();
            System.gc(); // the real call: a full collection of this JVM
        })) {
            idle.check();
            assertThat(gcs.get()).as("no work yet: nothing to collect").isZero();
            events.get().onEvent(new EngineEvent.TransitionEvent(new Transition(1, "a-0", InstanceState.RUNNING, InstanceState.STOPPING,
                    "operator", null, null, null, 7, null)));
            now.addAndGet(Duration.ofSeconds(9).toNanos());
            idle.check();
            assertThat(gcs.get()).as("9 s after the work: not quiet long enough").isZero();
            now.addAndGet(Duration.ofSeconds(2).toNanos());
            idle.check();
            assertThat(gcs.get()).as("11 s after the work").isEqualTo(1);
            now.addAndGet(Duration.ofMinutes(5).toNanos());
            idle.check();
            assertThat(gcs.get()).as("quiet since: no second collection").isEqualTo(1);
            events.get().onEvent(new EngineEvent.MetricsEvent(null));
            now.addAndGet(Duration.ofSeconds(20).toNanos());
            idle.check();
            assertThat(gcs.get()).as("figures are not work").isEqualTo(1);
            events.get().onEvent(new EngineEvent.TransitionEvent(new Transition(2, "a-0", InstanceState.STOPPING, InstanceState.STOPPED,
                    "operator", 0, null, null, 7, null)));
            now.addAndGet(Duration.ofSeconds(11).toNanos());
            idle.check();
            assertThat(gcs.get()).as("new work, quiet again").isEqualTo(2);
            assertThat(idle.collections()).isEqualTo(2);
        }
    }
}
