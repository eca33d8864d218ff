package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.Selection;
import io.sabot.host.Homes;
import io.sabot.launch.BackgroundDaemon;
import io.sabot.launch.QuitChoice;
import io.sabot.launch.StopEverything;
import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The fleet outlives the window: a console that started a background daemon (a real
 * {@code sabot daemon} process in its own session) is closed; "Keep agents running" leaves the
 * daemon answering and the agents' processes alive, "Stop engine and agents" leaves none of them
 * (checked by pid).
 */
class ConsoleDaemonTest {
    @TempDir
    Path tmp;

    private final FxRobot robot = new FxRobot();
    private final List<Long> pids = new ArrayList<>();

    private static boolean answers(Path home) {
        try (RemoteEngine e = new RemoteEngine(Homes.socket(home))) {
            return e.info() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @AfterEach
    void cleanUp() {
        for (long p : pids) for (long d : Procs.descendants(p)) Procs.kill(d);
        for (long p : pids) Procs.kill(p);
    }

    /** Starts a daemon as the console does, deploys two agents, opens an attached console and closes it with {@code button}. */
    private QuitChoice closeConsole(Path home, String button, List<Long> agentPids, long[] daemonPid) throws Exception {
        BackgroundDaemon.Started d = BackgroundDaemon.start(home, Duration.ofSeconds(60), () -> answers(home));
        daemonPid[0] = d.pid();
        pids.add(d.pid());
        assertThat(Files.readString(Path.of("/proc", Long.toString(d.pid()), "stat")).split("\\) ")[1].split(" ")[3])
                .as("session id of the daemon is its own pid").isEqualTo(Long.toString(d.pid()));
        RemoteEngine engine = new RemoteEngine(Homes.socket(home));
        engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("keeper", 2, null)), home));
        engine.start(Selection.everything(), null, null);
        for (InstanceStatus s : engine.status(Selection.everything())) {
            agentPids.add(s.pid());
            pids.add(s.pid());
        }
        EngineInfo info = engine.info();
        EngineLink link = new EngineLink(info.pid(), info.home(), true, true);
        AtomicReference<QuitChoice> choice = new AtomicReference<>();
        Stage stage = FxToolkit.registerPrimaryStage();
        AtomicReference<ConsoleWindow> window = new AtomicReference<>();
        FxToolkit.setupStage(s -> {
            ConsoleWindow w = new ConsoleWindow(new io.sabot.ui.model.ConsoleModel(engine, info, javafx.application.Platform::runLater), ConsolePrefs.DEFAULT, home.resolve("console.json"));
            w.setEngineLink(link);
            w.attach(s);
            QuitFlow.install(w, s, link, choice::set);
            window.set(w);
            s.show();
            s.toFront();
            s.requestFocus();
        });
        WaitForAsyncUtils.waitForFxEvents();
        // the status bar says which engine this is
        Await.until(Duration.ofSeconds(10), () -> fx(() -> window.get().statusBar().getChildren().stream()
                .filter(n -> n instanceof javafx.scene.control.Label).map(n -> ((javafx.scene.control.Label) n).getText())
                .anyMatch(t -> t.contains("attached to engine pid " + d.pid()) && t.contains(home.toString()))), "status bar names the engine");
        javafx.application.Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#quit-dialog").tryQuery().isPresent());
        assertThat(fx(() -> ((javafx.scene.control.Button) robot.lookup("#quit-keep").query()).isDefaultButton()))
                .as("keeping the agents is the default").isTrue();
        robot.clickOn(button);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !fx(stage::isShowing));
        javafx.application.Platform.runLater(() -> window.get().close());
        WaitForAsyncUtils.waitForFxEvents();
        // what the console command does once the window is closed
        StringWriter err = new StringWriter();
        if (choice.get() == QuitChoice.STOP_EVERYTHING) StopEverything.run(engine, info.pid(), Duration.ofSeconds(60), new PrintWriter(err, true));
        else engine.close();
        return choice.get();
    }

    @Test
    void keepAgentsRunningLeavesTheDaemonAnsweringAndTheAgentsAlive() throws Exception {
        Path home = tmp.resolve("home");
        List<Long> agents = new ArrayList<>();
        long[] daemon = new long[1];
        assertThat(closeConsole(home, "#quit-keep", agents, daemon)).isEqualTo(QuitChoice.KEEP_RUNNING);
        assertThat(answers(home)).as("the daemon still answers").isTrue();
        assertThat(agents).hasSize(2).allMatch(Procs::alive);
        try (RemoteEngine again = new RemoteEngine(Homes.socket(home))) {
            assertThat(again.status(Selection.everything())).extracting(InstanceStatus::state).containsOnly(InstanceState.RUNNING);
            assertThat(again.info().pid()).isEqualTo(daemon[0]);
        }
        assertThat(Files.readString(BackgroundDaemon.logFile(home))).contains("started by sabot console").contains("sabot daemon: engine pid " + daemon[0]);
    }

    @Test
    void stopEverythingLeavesNothingRunning() throws Exception {
        Path home = tmp.resolve("home");
        List<Long> agents = new ArrayList<>();
        long[] daemon = new long[1];
        assertThat(closeConsole(home, "#quit-stop", agents, daemon)).isEqualTo(QuitChoice.STOP_EVERYTHING);
        Await.until(Duration.ofSeconds(30), () -> !Procs.alive(daemon[0]), "daemon pid " + daemon[0] + " gone");
        for (long a : agents) Await.until(Duration.ofSeconds(10), () -> !Procs.alive(a), "agent pid " + a + " gone");
        assertThat(answers(home)).isFalse();
    }
}
