package io.sabot.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.EngineRuntime;
import io.sabot.engine.Subscription;
import io.sabot.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client streaming events over the control socket (the console attached to a daemon) is a
 * viewer: live figures are sampled at full rate while it streams, and no longer once it hangs up.
 */
class StreamWatchTest {
    @TempDir
    Path home;

    @Test
    void anEventStreamWatchesTheFiguresUntilItEnds() throws Exception {
        try (BridgeTest.Served served = new BridgeTest.Served(home.resolve("h"))) {
            EngineRuntime rt = served.fixture.engine.runtime();
            assertThat(rt.figuresWatched()).as("no viewer yet").isFalse();
            RemoteEngine remote = new RemoteEngine(served.socket());
            try {
                Subscription s = remote.subscribe(e -> { });
                Await.until(Duration.ofSeconds(20), rt::figuresWatched, "the stream counts as a viewer");
                s.close();
            } finally {
                remote.close();
            }
            Await.until(Duration.ofSeconds(20), () -> !rt.figuresWatched(), "the viewer left");
        }
    }
}
