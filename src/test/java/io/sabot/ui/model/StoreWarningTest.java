package io.sabot.ui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.Selection;
import io.sabot.host.EngineHost;
import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import io.sabot.testing.SmallDisk;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's status bar text for the store: the engine's "store" event reaches the model; it shows while the disk is full and goes when recording resumes. */
class StoreWarningTest {
    @TempDir
    Path tmp;

    @Test
    void theStoreWarningFollowsTheDisk() throws Exception {
        ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 24)) {
            Path home = disk.dir.resolve("home");
            EngineHost host = EngineHost.open(home, "test");
            java.util.Set<Long> pids = java.util.concurrent.ConcurrentHashMap.newKeySet();
            host.engine().onSpawn((id, pid, pgid, ticks, spec) -> pids.add(pid));
            ConsoleModel m = new ConsoleModel(host.engine(), host.engine().info(), ui);
            try {
                m.start();
                host.engine().deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 1, "")), home));
                host.engine().start(Selection.everything(), null, null);
                assertThat(ui.submit(m::storeWarning).get(10, TimeUnit.SECONDS)).isNull();
                disk.fill();
                host.engine().stop(Selection.of("s"), false, null); // a durable operation on a full disk
                Await.until(Duration.ofSeconds(20), () -> warning(m, ui) != null, "the warning shows");
                assertThat(warning(m, ui)).contains("the disk holding " + home + " is full");
                disk.free();
                Await.until(Duration.ofSeconds(30), () -> warning(m, ui) == null, "the warning goes once recording resumes");
            } finally {
                m.close();
                host.close();
                for (long p : pids) Procs.kill(p);
            }
        } finally {
            ui.shutdownNow();
        }
    }

    private static String warning(ConsoleModel m, ExecutorService ui) {
        try {
            return ui.submit(() -> {
                m.apply(System.nanoTime() + ConsoleModel.APPLY_INTERVAL_NANOS * 1000);
                return m.storeWarning();
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
