package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.host.EngineHost;
import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.application.Platform;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console over the whole real engine (store, telemetry, partition service, metrics) with
 * the built-in demo fleet: the empty home offers the demo, a bulk restart gives every instance
 * a new pid and a trace with one child per instance, an outside kill shows as one restart, and
 * the partition map shows each partition once and outlines the moved ones.
 */
class DemoFleetUiTest {
    private static final Duration T = Duration.ofSeconds(20);
    @TempDir
    Path home;
    private final FxRobot robot = new FxRobot();

    /** The node matching {@code query} in a window that is showing (earlier tests' closed windows keep same-id nodes). */
    private java.util.Optional<javafx.scene.Node> showing(String query) {
        return fx(() -> robot.lookup(query).queryAll().stream()
                .filter(n -> n.getScene() != null && n.getScene().getWindow() != null && n.getScene().getWindow().isShowing())
                .findFirst());
    }

    private void click(String query) {
        robot.clickOn(showing(query).orElseThrow(() -> new AssertionError("nothing showing matches " + query)));
    }

    private void confirm() throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> showing("#confirm-ok").isPresent());
        click("#confirm-ok");
    }

    @Test
    void demoFleetBulkRestartTraceKillAndPartitionMap() throws Exception {
        EngineHost host = EngineHost.open(home, "test");
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        host.engine().subscribe(e -> {
            if (e instanceof io.sabot.engine.EngineEvent.TransitionEvent te && te.transition().pid() > 0) pids.add(te.transition().pid());
        });
        ConsoleWindow[] window = new ConsoleWindow[1];
        try {
            io.sabot.engine.EngineInfo info = host.engine().info();
            FxToolkit.registerPrimaryStage();
            FxToolkit.setupStage(s -> {
                window[0] = new ConsoleWindow(new io.sabot.ui.model.ConsoleModel(host.engine(), info, javafx.application.Platform::runLater), ConsolePrefs.DEFAULT, home.resolve("console.json"));
                window[0].attach(s);
                s.show();
                s.requestFocus();
            });
            ConsoleWindow w = window[0];
            // an empty home offers the demo fleet
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> showing("#start-demo").map(n -> n.isVisible()).orElse(false));
            click("#start-demo");
            Await.until(T, () -> fx(() -> w.model().instances().size() == 6 && w.model().count(InstanceState.RUNNING).get() == 6),
                    () -> "demo fleet running: " + host.engine().status(Selection.everything()));
            List<Long> before = host.engine().status(Selection.everything()).stream().map(InstanceStatus::pid).toList();

            // select all, bulk restart, confirm
            click("#fleet-table");
            robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
            Await.until(T, () -> fx(() -> w.agents().table().targets().count()) == 6, "all selected");
            click("#btn-restart");
            confirm();
            Await.until(Duration.ofSeconds(30), () -> host.engine().status(Selection.everything()).stream()
                    .allMatch(s -> s.state() == InstanceState.RUNNING && s.pid() != null && !before.contains(s.pid())),
                    () -> "new pids, all RUNNING: " + host.engine().status(Selection.everything()));

            // its trace on the timeline: the root and one child per instance
            Await.until(T, () -> showing("#show-trace").isPresent(), "Show trace");
            click("#show-trace");
            Await.until(T, () -> fx(() -> w.traces().shown() != null && w.traces().gantt().rowsForTest().stream()
                    .filter(s -> s.name().startsWith("restart ") && !s.name().startsWith("restart (")).count() == 6),
                    () -> "restart trace with 6 children: " + fx(() -> w.traces().gantt().rowsForTest().stream().map(io.sabot.telemetry.SpanView::name).toList()));
            assertThat(fx(() -> w.traces().shown().name.get())).isEqualTo("restart (6 instances)");

            // kill an instance from outside: BACKOFF/RUNNING with one restart in the table
            robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
            long victim = host.engine().status(Selection.of("fraud_detector-1")).get(0).pid();
            List<PartitionView> beforeKill = host.engine().partitions("transactions");
            Procs.sigkill(victim);
            Await.until(T, () -> fx(() -> {
                io.sabot.ui.model.InstanceRow r = w.model().instance("fraud_detector-1");
                return r.restarts.get() == 1 && (r.state.get() == InstanceState.RUNNING || r.state.get() == InstanceState.BACKOFF);
            }), "one restart shown");

            // partition map: a lane per (topic, consumer group); the fraud detector's has every partition once, the moved ones outlined
            robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
            String lane = io.sabot.ui.model.PartitionsModel.laneKey("transactions", "fraud_detector");
            Await.until(T, () -> fx(() -> w.partitions().cards().keySet().containsAll(List.of(lane,
                    io.sabot.ui.model.PartitionsModel.laneKey("transactions", "alerter"), io.sabot.ui.model.PartitionsModel.laneKey("transactions", "enricher")))),
                    () -> "a lane per agent: " + fx(() -> w.partitions().cards().keySet()));
            Await.until(T, () -> fx(() -> {
                var card = w.partitions().cards().get(lane);
                if (card == null || card.data().size() != 12) return false;
                Set<Integer> ps = card.data().stream().map(PartitionView::partition).collect(Collectors.toSet());
                return ps.size() == 12 && card.data().stream().allMatch(p -> p.owner() != null) && card.data().stream().anyMatch(PartitionView::moved);
            }), () -> "map with moved cells: " + fx(() -> w.partitions().cards().get(lane).data()));
            Set<String> owners = new HashSet<>();
            for (PartitionView p : beforeKill) if ("fraud_detector".equals(p.group())) owners.add(p.owner());
            assertThat(owners).contains("fraud_detector-1");
        } finally {
            if (window[0] != null) {
                ConsoleWindow cw = window[0];
                Platform.runLater(cw::close);
                WaitForAsyncUtils.waitForFxEvents();
            }
            host.close();
            for (long p : pids) Procs.kill(p);
        }
    }
}
