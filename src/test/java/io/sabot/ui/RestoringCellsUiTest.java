package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static io.sabot.ui.ConsoleHarness.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.Selection;
import io.sabot.engine.StateStoreView;
import io.sabot.testing.Await;
import io.sabot.testing.Specs;
import io.sabot.ui.partitions.TopicCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition map while partitions restore their state: the engine's restore events (published
 * as the state service publishes them) make the new owner's cells say "restoring 43 %" with a bar,
 * and a finished restore gives the cell back its lag. Writes the screenshot
 * {@code partitions-restoring.png} (into {@code -Dsabot.screenshots=DIR}, else target/screenshots).
 */
class RestoringCellsUiTest {
    @TempDir
    Path home;

    private static StateStoreView restoring(String owner, int partition, long restored, long total, boolean done) {
        return new StateStoreView("fd", "fd", "cards", "tx", partition, owner, done ? "active" : "restoring", 0, 0, 0, restored, total,
                1000, done ? 0.0 : (total - restored) / 1000.0, done ? "changelog topic" : null, System.currentTimeMillis());
    }

    @Test
    void restoringPartitionsShowTheirProgressOnTheMap() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            DemoEngine demo = new DemoEngine(h.engine, null);
            demo.consumer("tx", "fd");
            h.engine.deploy(Specs.parse("{\"topics\":[{\"name\":\"tx\",\"partitions\":12}],\"agents\":[{\"name\":\"fd\","
                    + "\"command\":[\"sleep\",\"100000\"],\"concurrency\":2,\"topic\":\"tx\",\"stopGraceMs\":1000}]}", home));
            h.engine.start(Selection.everything(), null, null);
            Await.until(Duration.ofSeconds(20), () -> h.engine.status(Selection.everything()).stream()
                    .allMatch(s -> s.state() == InstanceState.RUNNING), "fd running");
            demo.partitions(null);
            h.open(demo, new ConsolePrefs(Double.NaN, Double.NaN, 1440, 900, false, "agents", "light", 0.64));
            fxRun(() -> h.window.select(View.PARTITIONS));
            Await.until(Duration.ofSeconds(10), () -> fx(() -> h.window.partitions().cards().size() == 1), "the tx card");
            String owner3 = fx(() -> h.window.partitions().cards().values().iterator().next().data().get(3).owner());
            String owner7 = fx(() -> h.window.partitions().cards().values().iterator().next().data().get(7).owner());

            h.engine.runtime().publish(new EngineEvent.RestoreEvent(restoring(owner3, 3, 43_000, 100_000, false)));
            h.engine.runtime().publish(new EngineEvent.RestoreEvent(restoring(owner7, 7, 8, 10, false)));
            Await.until(Duration.ofSeconds(10), () -> fx(() -> card(h).restoring()).equals(Map.of(3, 43, 7, 80)),
                    () -> "cells restoring: " + fx(() -> card(h).restoring()));
            Path out = Path.of(System.getProperty("sabot.screenshots", "target/screenshots"));
            if (!out.isAbsolute()) out = Path.of(System.getProperty("user.dir")).resolve(out);
            Files.createDirectories(out);
            ScreenshotsTest.shot(h, out.resolve("partitions-restoring.png"));

            // partition 3 is restored: its cell shows its lag again, 7 goes on
            h.engine.runtime().publish(new EngineEvent.RestoreEvent(restoring(owner3, 3, 100_000, 100_000, true)));
            Await.until(Duration.ofSeconds(10), () -> fx(() -> card(h).restoring()).equals(Map.of(7, 80)),
                    () -> "cells restoring: " + fx(() -> card(h).restoring()));
            demo.close();
        }
    }

    private static TopicCard card(ConsoleHarness h) {
        return h.window.partitions().cards().values().iterator().next();
    }
}
