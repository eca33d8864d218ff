package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static io.sabot.ui.ConsoleHarness.fxRun;

import io.sabot.engine.InstanceState;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.Specs;
import io.sabot.ui.model.InstanceRow;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Renders the README screenshots from a real engine with real processes (plus synthetic metrics,
 * partitions and traces where those modules are not in yet). Run:
 * {@code mvn -q -B test -Dtest=ScreenshotsTest -Dsabot.screenshots=assets/screenshots}
 */
@EnabledIfSystemProperty(named = "sabot.screenshots", matches = ".+")
class ScreenshotsTest {
    @TempDir
    Path home;

    static String fleet(Path script) {
        String detector = "{\"name\":\"fraud_detector\",\"command\":[\"sh\",\"-c\",\"echo 'fraud detector ready, model v42'; i=0; while true; i=$((i+1)); do echo \\\"scored batch $i: 512 records, 3 flagged\\\"; sleep 1; done\"],\"concurrency\":4,\"topic\":\"transactions\",\"group\":\"payments\",\"stopGraceMs\":1500,\"limits\":{\"memoryMb\":256,\"cpuPercent\":50}}";
        String enricher = "{\"name\":\"enricher\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":3,\"topic\":\"payments\",\"stopGraceMs\":1500}";
        String alerter = "{\"name\":\"alerter\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2,\"topic\":\"alerts\",\"dependsOn\":[\"fraud_detector\"],\"stopGraceMs\":1500}";
        String flaky = "{\"name\":\"geo_lookup\",\"command\":[\"sh\",\"-c\",\"echo starting; sleep 1; echo 'connection refused: geo-db:5432' >&2; exit 3\"],\"restart\":{\"maxRestarts\":2,\"withinSeconds\":60,\"backoff\":{\"initialMs\":300,\"maxMs\":600}}}";
        String reporter = "{\"name\":\"reporter\",\"command\":[\"sleep\",\"100000\"]}";
        String export = "{\"name\":\"legacy_export\",\"command\":[\"" + script + "\"],\"restart\":{\"policy\":\"temporary\"}}";
        return "{\"agents\":[" + String.join(",", detector, enricher, alerter, flaky, reporter, export)
                + "],\"topics\":[{\"name\":\"transactions\",\"partitions\":24},{\"name\":\"payments\",\"partitions\":12,\"strategy\":\"range\"},{\"name\":\"alerts\",\"partitions\":40,\"strategy\":\"round_robin\"}]}";
    }

    @Test
    void renderAll() throws Exception {
        Path out = Path.of(System.getProperty("sabot.screenshots"));
        if (!out.isAbsolute()) out = Path.of(System.getProperty("user.dir")).resolve(out);
        Files.createDirectories(out);
        boolean dark = Boolean.getBoolean("sabot.dark");
        try (ConsoleHarness h = new ConsoleHarness(home, true)) {
            DemoEngine demo = new DemoEngine(h.engine, h.telemetry);
            demo.consumer("transactions", "fraud_detector");
            demo.consumer("payments", "enricher");
            demo.consumer("alerts", "alerter");
            Path script = home.resolve("export.sh");
            Files.writeString(script, "#!/bin/sh\nexec sleep 100000\n");
            Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            h.engine.deploy(Specs.parse(fleet(script), home));
            h.engine.start(Selection.of("fraud_detector", "enricher", "alerter", "legacy_export"), null, null);
            h.engine.start(Selection.of("geo_lookup"), null, null);
            demo.partitions(null);
            h.open(demo, new ConsolePrefs(Double.NaN, Double.NaN, 1440, 900, false, "agents", dark ? "dark" : "light", 0.64));
            demo.backfill(300);
            demo.startMetrics(1);
            h.engine.restart(Selection.of("fraud_detector"), false, null);
            h.engine.restart(Selection.of("enricher-1"), false, null);
            Files.delete(script); // its restart fails: a red trace and a FAILED instance
            h.engine.restart(Selection.of("legacy_export"), false, null);
            Await.until(Duration.ofSeconds(20), () -> h.engine.status(Selection.of("geo_lookup")).get(0).state() == InstanceState.FAILED, "geo_lookup FAILED");
            demo.rebalance("transactions", "round_robin", "operator");
            Await.until(Duration.ofSeconds(5), () -> fx(() -> h.window.model().instances().size() == 12), "rows");
            fxRun(() -> {
                InstanceRow r = h.window.model().instance("fraud_detector-1");
                h.window.agents().select(r);
            });
            Thread.sleep(2500);
            fxRun(() -> { // keep the newest notification only, so the charts show
                var kids = h.window.toasts().getChildren();
                if (kids.size() > 1) kids.remove(0, kids.size() - 1);
            });
            shot(h, out.resolve("agents.png"));
            if (Boolean.getBoolean("sabot.screenshots.extra")) {
                for (String tab : new String[]{"tab-history", "tab-logs", "tab-spec"}) {
                    fxRun(() -> h.window.agents().detail().selectTab(tab));
                    Thread.sleep(1500);
                    shot(h, out.resolve("extra-" + tab + ".png"));
                }
                fxRun(() -> h.window.agents().detail().selectTab("tab-metrics"));
            }
            fxRun(() -> {
                h.window.toasts().getChildren().clear(); // the failure toast was shown on the agents view
                h.window.select(View.PARTITIONS);
            });
            Await.until(Duration.ofSeconds(5), () -> fx(() -> h.window.partitions().cards().size() == 3), "topic cards");
            Thread.sleep(4500); // past the moved-cells pulse, outlines stay
            shot(h, out.resolve("partitions.png"));
            fxRun(() -> h.window.select(View.TRACES));
            Await.until(Duration.ofSeconds(5), () -> fx(() -> !h.window.traceStore().items().isEmpty()), "traces");
            fxRun(() -> {
                var items = h.window.traceStore().items();
                var pick = items.stream().filter(t -> t.name.get().startsWith("restart (4")).findFirst().orElse(items.get(0));
                h.window.traces().list().getSelectionModel().select(pick);
            });
            Thread.sleep(500);
            fxRun(() -> {
                var g = h.window.traces().gantt();
                if (g.rowCount() > 2) g.select(g.rowsForTest().get(2));
            });
            Thread.sleep(600);
            shot(h, out.resolve("traces.png"));
            fxRun(() -> h.window.select(View.EVENTS));
            Thread.sleep(800);
            shot(h, out.resolve("events.png"));
            demo.close();
        }
    }

    static void shot(ConsoleHarness h, Path file) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage img = fx(() -> h.stage.getScene().snapshot(null));
        BufferedImage bi = SwingFXUtils.fromFXImage(img, null);
        ImageIO.write(bi, "png", file.toFile());
        System.out.println("wrote " + file);
    }
}
