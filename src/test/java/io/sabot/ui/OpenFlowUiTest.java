package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static io.sabot.ui.ConsoleHarness.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.TabPane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** "Open…" in the console: a PM2 file shows its import report and deploys; a file of no known format is refused with the reason. */
class OpenFlowUiTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();

    private Path fixture(String folder) throws Exception {
        Path src = Path.of(getClass().getResource("/io/sabot/importer/" + folder).toURI());
        Path dst = home.resolve("files").resolve(folder);
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return dst;
    }

    private void waitFor(String id) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup(id).tryQuery().isPresent());
    }

    @Test
    void aPm2FileShowsItsImportReportAndDeploys() throws Exception {
        Path pm2 = fixture("pm2");
        try (ConsoleHarness h = new ConsoleHarness(home.resolve("home"), false)) {
            h.open();
            fxRun(() -> h.window.openFile(pm2.resolve("ecosystem.json")));
            waitFor("#import-report");
            String tabs = fx(() -> String.join(" | ", robot.lookup("#import-tabs").queryAs(TabPane.class).getTabs().stream().map(t -> t.getText()).toList()));
            assertThat(tabs).matches("Mapped \\(\\d+\\) \\| Mapped approximately \\(\\d+\\) \\| No equivalent \\(\\d+\\) \\| Spec \\(YAML\\)");
            assertThat(fx(() -> robot.lookup("#import-approximate").queryTableView().getItems().size())).isGreaterThan(3);
            robot.clickOn("#import-deploy-start");
            Await.until(T, () -> h.engine.spec().agents().size() == 5, () -> "deployed: " + h.engine.spec().agents());
            Await.until(T, () -> h.engine.status(Selection.everything()).stream().filter(s -> s.state() == InstanceState.RUNNING).count() == 6,
                    () -> "running: " + h.engine.status(Selection.everything()));
            Await.until(T, () -> fx(() -> h.window.toasts().messages()).stream().anyMatch(m -> m.startsWith("Deployed 5 agents (5 new, 0 changed), 6 of 6 instances started")),
                    () -> "toast: " + fx(() -> h.window.toasts().messages()));
        }
    }

    @Test
    void aFileOfNoKnownFormatIsRefusedWithTheReason() throws Exception {
        Path bad = fixture("bad");
        try (ConsoleHarness h = new ConsoleHarness(home.resolve("home"), false)) {
            h.open();
            fxRun(() -> h.window.openFile(bad.resolve("random.yaml")));
            waitFor("#open-refused");
            String text = fx(() -> ((javafx.scene.control.DialogPane) robot.lookup("#open-refused").query()).getContentText());
            assertThat(text).contains("random.yaml").contains("top-level keys [foo, bar]");
            fxRun(() -> robot.lookup("#open-refused").query().getScene().getWindow().hide());
            assertThat(h.engine.spec().agents()).isEmpty();
        }
    }
}
