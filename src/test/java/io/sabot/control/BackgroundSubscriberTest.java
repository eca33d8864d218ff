package io.sabot.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineListener;
import io.sabot.engine.Subscription;
import io.sabot.process.ThreadNice;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A background listener ({@link EngineListener#background()}, the console's feed) hears a remote
 * engine's events on a thread of lower priority, so the console's FX thread comes first when both
 * wait for a core; any other listener's thread keeps the process's priority.
 */
class BackgroundSubscriberTest {
    @TempDir
    Path tmp;

    @Test
    void aBackgroundListenersEventsAreReadOnALowerPriorityThread() throws Exception {
        Integer base = ThreadNice.ofCurrentThread();
        assertThat(base).isNotNull();
        try (Daemon d = new Daemon(tmp.resolve("home"))) {
            d.deploy("{\"agents\":[{\"name\":\"napper\",\"command\":[\"sleep\",\"100000\"]}]}");
            try (RemoteEngine e = new RemoteEngine(d.home.resolve("control.sock"))) {
                AtomicReference<Integer> background = new AtomicReference<>(), foreground = new AtomicReference<>();
                Subscription a = e.subscribe(EngineListener.ignoring(Set.of(), true, ev -> {
                    if (ev instanceof EngineEvent.ResultEvent) background.set(ThreadNice.ofCurrentThread());
                }));
                Subscription b = e.subscribe(ev -> {
                    if (ev instanceof EngineEvent.ResultEvent) foreground.set(ThreadNice.ofCurrentThread());
                });
                assertThat(d.run("agents", "start", "napper").code).isZero();
                Await.until(Duration.ofSeconds(20), () -> background.get() != null && foreground.get() != null, "the start's result on both streams");
                assertThat(background.get()).isEqualTo(Math.max(base, RemoteEngine.BACKGROUND_NICE));
                assertThat(foreground.get()).isEqualTo(base);
                a.close();
                b.close();
            }
            assertThat(d.run("agents", "stop", "napper").code).isZero();
        }
    }
}
