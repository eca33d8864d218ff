package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static io.sabot.ui.ConsoleHarness.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import io.sabot.ui.model.EventRow;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.InstanceRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console against a real LocalEngine with real {@code sleep}/{@code sh} agents on a temp
 * home, headless (Monocle). Every process is cleaned up by pid by the {@link ConsoleHarness}.
 */
class ConsoleUiTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();

    private static InstanceRow row(ConsoleHarness h, String id) { return fx(() -> h.window.model().instance(id)); }

    /** Texts of the rendered cells of one column (what the user sees). */
    private List<String> columnTexts(String columnId) {
        return fx(() -> robot.lookup(".tree-table-cell").queryAllAs(TreeTableCell.class).stream()
                .filter(c -> c.getTableColumn() != null && columnId.equals(c.getTableColumn().getId()) && !c.isEmpty())
                .map(c -> c.getGraphic() instanceof Labeled ? ((Labeled) c.getGraphic()).getText() : c.getText())
                .filter(s -> s != null).collect(Collectors.toList()));
    }

    private void confirm() {
        try {
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#confirm-ok").tryQuery().isPresent());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no confirmation dialog");
        }
        robot.clickOn("#confirm-ok");
    }

    private void clickRow(ConsoleHarness h, String name) {
        Node cell = fx(() -> robot.lookup(".tree-table-cell").queryAllAs(TreeTableCell.class).stream()
                .filter(c -> !c.isEmpty() && c.getTableRow() != null && c.getTableRow().getItem() != null
                        && ((FleetRow) c.getTableRow().getItem()).name().equals(name) && "col-pid".equals(c.getTableColumn().getId()))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + name)));
        robot.clickOn(cell);
    }

    @Test
    void agentsTableShowsDeployedAgentsStatesAndPids() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("alpha", 3, null), Specs.sleeper("beta", 1, null)), home));
            h.engine.start(Selection.of("alpha"), null, null);
            h.open();
            Await.until(T, () -> fx(() -> h.window.model().instances().size() == 4), "four rows");
            List<InstanceStatus> st = h.fixture.status();
            for (InstanceStatus s : st) {
                Await.until(T, () -> {
                    InstanceRow r = row(h, s.id());
                    return fx(() -> r.state.get() == s.state() && java.util.Objects.equals(r.pid.get(), s.pid()));
                }, () -> s.id() + " shows " + s.state() + " pid " + s.pid());
            }
            // the rendered table: agents grouped with their instances, badges and pids
            List<String> names = fx(() -> {
                List<String> n = new ArrayList<>();
                for (TreeItem<FleetRow> a : h.window.agents().table().getRoot().getChildren()) {
                    n.add(a.getValue().name());
                    for (TreeItem<FleetRow> i : a.getChildren()) n.add(i.getValue().name());
                }
                return n;
            });
            assertThat(names).containsExactly("alpha", "alpha-0", "alpha-1", "alpha-2", "beta", "beta-0");
            Await.until(T, () -> columnTexts("col-pid").containsAll(st.stream().filter(s -> s.pid() != null).map(s -> s.pid().toString()).toList()),
                    () -> "pids rendered: " + columnTexts("col-pid"));
            assertThat(columnTexts("col-state")).contains("Running", "Stopped", "Running 3/3");
            assertThat(fx(() -> h.window.model().count(InstanceState.RUNNING).get())).isEqualTo(3);
            assertThat(fx(() -> h.window.stage().getTitle())).isEqualTo("Sabot Console \u2014 " + home);
            // filter: text and state
            fxRun(() -> h.window.agents().table().setFilter("beta", Set.of()));
            assertThat(fx(() -> h.window.agents().table().getRoot().getChildren().size())).isEqualTo(1);
            fxRun(() -> h.window.agents().table().setFilter("", Set.of(InstanceState.RUNNING)));
            assertThat(fx(() -> h.window.agents().table().targets().count())).isEqualTo(3);
        }
    }

    @Test
    void selectAllRestartConfirmGivesEveryInstanceANewPid() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("a", 3, null), Specs.sleeper("b", 2, null)), home));
            h.engine.start(Selection.everything(), null, null);
            List<Long> before = h.fixture.pids();
            assertThat(before).hasSize(5);
            h.open();
            Await.until(T, () -> columnTexts("col-pid").containsAll(before.stream().map(String::valueOf).toList()), "pids shown");
            clickRow(h, "a-0");
            robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
            Await.until(T, () -> fx(() -> h.window.agents().table().targets().count()) == 5, "all selected");
            robot.clickOn("#btn-restart");
            confirm();
            Await.until(Duration.ofSeconds(15), () -> {
                List<InstanceStatus> st = h.fixture.status();
                return st.size() == 5 && st.stream().allMatch(s -> s.state() == InstanceState.RUNNING && s.pid() != null && !before.contains(s.pid()));
            }, () -> "all RUNNING with new pids: " + h.fixture.status());
            List<String> now = h.fixture.status().stream().map(s -> s.pid().toString()).toList();
            Await.until(T, () -> columnTexts("col-pid").containsAll(now), () -> "table shows new pids " + now + ", has " + columnTexts("col-pid"));
            Await.until(T, () -> fx(() -> h.window.toasts().messages().stream().anyMatch(m -> m.startsWith("5 restarted"))),
                    () -> "outcome notification, have " + fx(() -> h.window.toasts().messages()));
            assertThat(fx(() -> h.window.statusBar().busy())).isFalse();
        }
    }

    @Test
    void externalKillShowsBackoffThenRunningWithOneRestartAndEventsListThem() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 2, "\"restart\":{\"backoff\":{\"initialMs\":400,\"maxMs\":400}}")), home));
            h.engine.start(Selection.everything(), null, null);
            long pid = h.fixture.status("s-0").pid();
            h.open();
            Await.until(T, () -> columnTexts("col-pid").contains(Long.toString(pid)), "pid shown");
            Procs.sigkill(pid);
            InstanceRow r = row(h, "s-0");
            // the badge turns BACKOFF (a 400 ms backoff), then RUNNING with restarts 1
            Await.until(T, () -> fx(() -> r.state.get() == InstanceState.BACKOFF || r.restarts.get() == 1), "BACKOFF seen");
            Await.until(T, () -> fx(() -> r.state.get() == InstanceState.RUNNING && r.restarts.get() == 1 && r.pid.get() != null && r.pid.get() != pid),
                    () -> "s-0 RUNNING, 1 restart: " + fx(() -> r.state.get() + " " + r.restarts.get() + " " + r.pid.get()));
            assertThat(h.fixture.status("s-0").restarts()).isEqualTo(1);
            Await.until(T, () -> fx(() -> robot.lookup(".tree-table-cell").queryAllAs(TreeTableCell.class).stream()
                    .anyMatch(c -> !c.isEmpty() && "col-restarts".equals(c.getTableColumn().getId()) && "1".equals(c.getText())
                            && c.getTableRow().getItem() instanceof InstanceRow && ((InstanceRow) c.getTableRow().getItem()).id().equals("s-0"))),
                    "restarts cell shows 1");
            // Ctrl+4: the events view lists the crash and the recovery
            robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
            Await.until(T, () -> fx(() -> h.window.current() == View.EVENTS), "events view");
            Await.until(T, () -> fx(() -> {
                List<EventRow> ev = h.window.events().table().getItems();
                return ev.stream().anyMatch(e -> e.instance().equals("s-0") && e.change().equals("RUNNING \u2192 BACKOFF") && e.cause().equals("crash"))
                        && ev.stream().anyMatch(e -> e.instance().equals("s-0") && e.change().equals("BACKOFF \u2192 STARTING"))
                        && ev.indexOf(ev.stream().filter(e -> e.change().equals("RUNNING \u2192 BACKOFF")).findFirst().get())
                        > ev.indexOf(ev.stream().filter(e -> e.change().equals("BACKOFF \u2192 STARTING")).findFirst().get());
            }), "crash and restart listed, newest first");
            fxRun(() -> h.window.events().setFilterText("backoff crash"));
            assertThat(fx(() -> h.window.events().table().getItems().size())).isEqualTo(1);
        }
    }

    @Test
    void specFormShowsTheParsersErrorNextToTheFieldAndDoesNotDeploy() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 1, null)), home));
            h.open();
            Await.until(T, () -> fx(() -> h.window.model().specOf("s") != null && h.window.model().agent("s") != null), "spec loaded");
            fxRun(() -> {
                h.window.agents().select(h.window.model().agent("s"));
                h.window.agents().detail().selectTab("tab-spec");
            });
            Await.until(T, () -> fx(() -> "s".equals(h.window.agents().detail().spec().agent())), "form shows s");
            robot.doubleClickOn("#spec-maxRestarts");
            robot.eraseText(4).write("-1");
            assertThat(fx(() -> robot.lookup("#spec-maxRestarts").queryAs(TextField.class).getText())).isEqualTo("-1");
            robot.clickOn("#spec-redeploy");
            Await.until(T, () -> fx(() -> h.window.agents().detail().spec().errorOf("restart.maxRestarts")) != null, "field error shown");
            assertThat(fx(() -> h.window.agents().detail().spec().errorOf("restart.maxRestarts"))).contains(">= 0").contains("-1");
            assertThat(fx(() -> robot.lookup("#spec-maxRestarts").query().getPseudoClassStates().contains(PseudoClass.getPseudoClass("danger")))).isTrue();
            assertThat(fx(() -> robot.lookup("#spec-maxRestarts-error").query().isVisible())).isTrue();
            assertThat(h.engine.spec().agents().get(0).restart().maxRestarts()).isEqualTo(5);
            // a good value clears the error and deploys
            fxRun(() -> robot.lookup("#spec-maxRestarts").queryAs(TextField.class).setText("7"));
            robot.clickOn("#spec-redeploy");
            Await.until(T, () -> h.engine.spec().agents().get(0).restart().maxRestarts() == 7, "redeployed with 7");
            assertThat(fx(() -> h.window.agents().detail().spec().errorOf("restart.maxRestarts"))).isNull();
        }
    }

    @Test
    void specFormMasksSecretsAndARedeployKeepsTheRealValue() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 1, "\"env\":{\"API_TOKEN\":\"s3cret\",\"MODE\":\"live\"}")), home));
            h.open();
            Await.until(T, () -> fx(() -> h.window.model().specOf("s") != null && h.window.model().agent("s") != null), "spec loaded");
            fxRun(() -> {
                h.window.agents().select(h.window.model().agent("s"));
                h.window.agents().detail().selectTab("tab-spec");
            });
            Await.until(T, () -> fx(() -> "s".equals(h.window.agents().detail().spec().agent())), "form shows s");
            String shown = fx(() -> robot.lookup(".text-area").queryAll().stream()
                    .filter(n -> n instanceof javafx.scene.control.TextArea).map(n -> ((javafx.scene.control.TextArea) n).getText())
                    .filter(t -> t.contains("MODE=")).findFirst().orElse(""));
            assertThat(shown).contains("API_TOKEN=****").contains("MODE=live").doesNotContain("s3cret");
            fxRun(() -> robot.lookup("#spec-maxRestarts").queryAs(TextField.class).setText("7"));
            robot.clickOn("#spec-redeploy");
            Await.until(T, () -> h.engine.spec().agents().get(0).restart().maxRestarts() == 7, "redeployed");
            assertThat(h.engine.spec().agents().get(0).env()).containsEntry("API_TOKEN", "s3cret");
        }
    }

    @Test
    void fxThreadStaysResponsiveWhileASlowStopRuns() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            String stubborn = "{\"name\":\"stubborn\",\"command\":[\"sh\",\"-c\",\"trap '' TERM; echo armed; while true; do sleep 0.05; done\"],\"stopGraceMs\":2500}";
            h.engine.deploy(Specs.parse(Specs.fleet(stubborn), home));
            h.engine.start(Selection.everything(), null, null);
            Await.until(T, () -> h.engine.logs("stubborn-0", 10).contains("armed"), "trap installed");
            h.open();
            Await.until(T, () -> fx(() -> h.window.model().instance("stubborn-0") != null), "row");
            clickRow(h, "stubborn-0");
            robot.clickOn("#btn-stop");
            confirm();
            long t0 = System.nanoTime();
            Await.until(T, () -> fx(() -> h.window.statusBar().busy()), "operation running");
            assertThat(fx(() -> h.window.statusBar().activityText())).isEqualTo("Stopping 1 instance\u2026");
            // while the engine waits out the 2.5 s grace, the FX thread keeps answering and is never
            // seen inside the engine (a structural check: a round-trip time would measure the load)
            Thread fxThread = fx(Thread::currentThread);
            List<String> engineFrames = new ArrayList<>();
            int probes = 0;
            while (fx(() -> h.window.statusBar().busy())) {
                fx(() -> 1);
                probes++;
                for (StackTraceElement f : fxThread.getStackTrace()) {
                    if (f.getClassName().startsWith("io.sabot.engine.") || f.getClassName().startsWith("io.sabot.process.")) {
                        engineFrames.add(f.toString());
                    }
                }
                Thread.sleep(20);
            }
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertThat(took).as("the stop waited for the grace").isGreaterThan(2000);
            assertThat(probes).as("FX round trips answered during the stop").isGreaterThan(20);
            assertThat(engineFrames).as("engine frames seen on the FX thread during the stop").isEmpty();
            assertThat(h.fixture.status("stubborn-0").state()).isEqualTo(InstanceState.STOPPED);
            Await.until(T, () -> fx(() -> h.window.toasts().messages().stream().anyMatch(m -> m.startsWith("1 stopped"))), "outcome");
        }
    }

    @Test
    void screenshotModeWritesAPngOfTheRequestedView() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 2, null)), home));
            h.engine.start(Selection.everything(), null, null);
            FxToolkitStarted.ensure();
            Path png = home.resolve("shots/events.png");
            ConsoleLauncher.screenshot(h.engine, png, "events", 0.5);
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
            assertThat(img.getWidth()).isEqualTo(1440);
            assertThat(img.getHeight()).isEqualTo(900);
        }
    }

    @Test
    void scaleDialogChangesTheInstanceCount() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 1, null)), home));
            h.engine.start(Selection.everything(), null, null);
            h.open();
            Await.until(T, () -> fx(() -> h.window.model().instance("s-0") != null), "row");
            clickRow(h, "s-0");
            robot.clickOn("#btn-scale");
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#scale-ok").tryQuery().isPresent());
            fxRun(() -> robot.lookup("#scale-n").queryAs(javafx.scene.control.Spinner.class).getEditor().setText("3"));
            robot.clickOn((Button) robot.lookup("#scale-ok").query());
            Await.until(Duration.ofSeconds(15), () -> h.fixture.status().size() == 3
                    && h.fixture.status().stream().allMatch(s -> s.state() == InstanceState.RUNNING), "three running");
            Await.until(T, () -> fx(() -> h.window.model().instances().size() == 3), "three rows");
        }
    }

    @Test
    void bulkRestartOutcomeLinksToItsTraceOnTheTimeline() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, true)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 3, null)), home));
            h.engine.start(Selection.everything(), null, null);
            h.open();
            Await.until(T, () -> fx(() -> h.window.model().instances().size() == 3 && h.window.model().count(InstanceState.RUNNING).get() == 3), "rows");
            robot.clickOn("#btn-restart"); // nothing selected, no filter: everything
            confirm();
            Await.until(Duration.ofSeconds(15), () -> robot.lookup("#show-trace").tryQuery().isPresent(), "Show trace button");
            robot.clickOn("#show-trace");
            Await.until(T, () -> fx(() -> h.window.current() == View.TRACES && h.window.traces().shown() != null), "trace selected");
            assertThat(fx(() -> h.window.traces().shown().name.get())).isEqualTo("restart (3 instances)");
            // the root, one span per instance and their steps, nested on the timeline
            Await.until(T, () -> fx(() -> h.window.traces().gantt().rowCount()) >= 4, "spans on the timeline");
            List<String> rows = fx(() -> h.window.traces().gantt().rowsForTest().stream().map(io.sabot.telemetry.SpanView::name).toList());
            assertThat(rows.get(0)).isEqualTo("restart (3 instances)");
            assertThat(rows).contains("restart s-0", "restart s-1", "restart s-2");
            // a click on a span shows its attributes
            fxRun(() -> h.window.traces().gantt().select(h.window.traces().gantt().rowsForTest().get(1)));
            assertThat(fx(() -> h.window.traces().attributes().getItems().stream().map(java.util.Map.Entry::getKey).toList())).contains("span.name", "span.duration");
        }
    }

    @Test
    void partitionMapShowsOwnersAndRebalancesOffTheFxThread() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            String spec = "{\"agents\":[" + Specs.sleeper("c", 3, "\"topic\":\"orders\"") + "],\"topics\":[{\"name\":\"orders\",\"partitions\":9}]}";
            h.engine.deploy(Specs.parse(spec, home));
            h.engine.start(Selection.everything(), null, null);
            DemoEngine demo = new DemoEngine(h.engine, null); // stands in for the partition manager
            demo.consumer("orders", "c");
            h.open(demo, ConsolePrefs.DEFAULT);
            robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
            Await.until(T, () -> fx(() -> h.window.partitions().cards().containsKey("orders")
                    && h.window.partitions().cards().get("orders").data().size() == 9), "orders map");
            assertThat(fx(() -> h.window.partitions().cards().get("orders").data().stream().map(io.sabot.engine.PartitionView::owner).distinct().count())).isEqualTo(3);
            robot.clickOn("#rebalance-orders");
            Await.until(T, () -> fx(() -> h.window.toasts().messages().stream().anyMatch(m -> m.startsWith("orders rebalanced with sticky"))), "rebalanced");
            // the assignment event brings a poll: the moved partitions are marked
            Await.until(T, () -> fx(() -> h.window.partitions().cards().get("orders").data().stream().anyMatch(io.sabot.engine.PartitionView::moved)), "moved cells");
            // the agents table shows each instance's partitions as the map shows them after the move
            Await.until(T, () -> fx(() -> {
                var data = h.window.partitions().cards().get("orders").data();
                int total = 0;
                for (String id : List.of("c-0", "c-1", "c-2")) {
                    long owned = data.stream().filter(p -> id.equals(p.owner())).count();
                    if (h.window.model().instance(id).partitions.get().size() != owned) return false;
                    total += (int) owned;
                }
                return total == 9;
            }), "partition counts per instance match the map");
            demo.close();
        }
    }
}
