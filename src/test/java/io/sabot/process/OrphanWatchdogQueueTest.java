package io.sabot.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's lines are queued and written together, off the caller's thread, and still reach it
 * in order: a close right after them (inside the linger) writes them first, so the watchdog ends the
 * group still announced and spares the one announced and then forgotten.
 */
class OrphanWatchdogQueueTest {
    @Test
    void queuedLinesReachTheWatchdogInOrderBeforeItsClose() throws Exception {
        Process kept = new ProcessBuilder("setsid", "sleep", "100000").start();
        Process forgotten = new ProcessBuilder("setsid", "sleep", "100000").start();
        OrphanWatchdog w = OrphanWatchdog.start();
        try {
            Await.until(Duration.ofSeconds(5), () -> ProcStat.pgid(kept.pid()) == kept.pid() && ProcStat.pgid(forgotten.pid()) == forgotten.pid(), "own groups");
            w.watch(kept.pid());
            w.watch(forgotten.pid());
            w.forget(forgotten.pid());
            w.close(); // well inside LINGER_MS: nothing has been written yet
            Await.until(Duration.ofSeconds(5), () -> !Procs.alive(w.pid()), "the watchdog ends once its pipe is closed");
            Await.until(Duration.ofSeconds(5), () -> !Procs.alive(kept.pid()), "the group still announced is ended");
            assertThat(Procs.alive(forgotten.pid())).as("the forgotten group is spared").isTrue();
        } finally {
            Procs.kill(kept.pid());
            Procs.kill(forgotten.pid());
            Procs.kill(w.pid());
        }
    }
}
