package io.sabot.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineListener;
import io.sabot.engine.Subscription;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber's ignored event types ({@link EngineListener#ignores()}) are not sent by the
 * daemon at all (the subscribe's {@code "skip"}), while every other event still arrives in order.
 */
class SubscribeSkipTest {
    @TempDir
    Path tmp;

    @Test
    void ignoredTypesAreNotSentOthersAreInOrder() throws Exception {
        try (Daemon d = new Daemon(tmp.resolve("home"))) {
            d.deploy("{\"agents\":[{\"name\":\"napper\",\"command\":[\"sleep\",\"100000\"]}]}");
            try (RemoteEngine e = new RemoteEngine(d.home.resolve("control.sock"))) {
                List<EngineEvent> skipping = new CopyOnWriteArrayList<>(), all = new CopyOnWriteArrayList<>();
                Subscription a = e.subscribe(EngineListener.ignoring(Set.of("transition"), skipping::add));
                Subscription b = e.subscribe(all::add);
                assertThat(d.run("agents", "start", "napper").code).isZero();
                // the result comes after the instance's transitions on every stream
                Await.until(Duration.ofSeconds(20), () -> skipping.stream().anyMatch(ev -> ev instanceof EngineEvent.ResultEvent)
                        && all.stream().anyMatch(ev -> ev instanceof EngineEvent.ResultEvent), "the start's result on both streams");
                assertThat(all).anyMatch(ev -> ev instanceof EngineEvent.TransitionEvent);
                assertThat(skipping).noneMatch(ev -> ev instanceof EngineEvent.TransitionEvent);
                a.close();
                b.close();
            }
            assertThat(d.run("agents", "stop", "napper").code).isZero();
        }
    }
}
