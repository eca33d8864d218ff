package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static io.sabot.ui.ConsoleHarness.fxRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.InstanceState;
import io.sabot.multihost.HostsEngine;
import io.sabot.ssh.Ssh;
import io.sabot.ssh.SshAddress;
import io.sabot.telemetry.SpanView;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.SshServer;
import io.sabot.ui.model.HostRow;
import io.sabot.ui.model.InstanceRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.application.Platform;
import javafx.scene.control.Labeled;
import javafx.scene.control.TreeTableCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console over two "hosts" (two real daemons; web1 through a real sshd): the fleet table
 * shows both with the host column, the Hosts view lists both with state and version, the host
 * filter narrows the table, and a bulk restart across both hosts is one trace on the timeline.
 */
class MultiHostUiTest {
    private static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path tmp;
    private final FxRobot robot = new FxRobot();

    private List<String> columnTexts(String columnId) {
        return fx(() -> robot.lookup(".tree-table-cell").queryAllAs(TreeTableCell.class).stream()
                .filter(c -> c.getTableColumn() != null && columnId.equals(c.getTableColumn().getId()) && !c.isEmpty() && c.isVisible())
                .map(c -> c.getGraphic() instanceof Labeled ? ((Labeled) c.getGraphic()).getText() : c.getText())
                .filter(s -> s != null).collect(Collectors.toList()));
    }

    @Test
    void twoHostsInOneTableAndOneTraceForABulkRestart() throws Exception {
        assumeTrue(SshServer.available(), "openssh-server and -client are needed (.ci/run installs them)");
        Map<String, Path> logins = new LinkedHashMap<>();
        logins.put("sabot", SshServer.sabotOfThisBuild(tmp.resolve("bin")));
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"api\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2,\"stopGraceMs\":2000}]}");
        Path homeA = tmp.resolve("a"), homeB = tmp.resolve("b");
        ConsoleWindow[] win = new ConsoleWindow[1];
        try (SshServer sshd = new SshServer(tmp.resolve("sshd"), logins); Daemon a = new Daemon(homeA); Daemon b = new Daemon(homeB)) {
            for (Daemon d : List.of(a, b)) {
                assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
                assertThat(d.run("agents", "start", "--all").code).isZero();
            }
            SshAddress web1 = SshAddress.parse(sshd.url(homeB));
            try (RemoteEngine primary = new RemoteEngine(homeA.resolve("control.sock")); HostsEngine hosts = new HostsEngine("local", primary)) {
                hosts.addHost("web1", web1.url(), () -> Ssh.connect(web1, sshd.env("sabot"), true));
                EngineInfo info = hosts.info();
                FxToolkit.registerPrimaryStage();
                FxToolkit.setupStage(s -> {
                    win[0] = new ConsoleWindow(new io.sabot.ui.model.ConsoleModel(hosts, info, Platform::runLater), ConsolePrefs.DEFAULT, null);
                    win[0].attach(s);
                    s.show();
                    s.toFront();
                    s.requestFocus();
                });
                WaitForAsyncUtils.waitForFxEvents();
                ConsoleWindow w = win[0];

                // both hosts' instances in the table, with the host column
                Await.until(T, () -> fx(() -> w.model().instances().size() == 4 && w.model().count(InstanceState.RUNNING).get() == 4),
                        () -> "4 running rows, have " + fx(() -> w.model().instances().keySet()));
                assertThat(fx(() -> w.model().instances().keySet())).containsExactlyInAnyOrder("api-0", "api-1", "web1/api-0", "web1/api-1");
                Await.until(T, () -> columnTexts("col-host").containsAll(List.of("local", "web1")), () -> "host column, have " + columnTexts("col-host"));
                assertThat(fx(() -> w.hostFilter().isVisible())).isTrue();
                InstanceRow remote = fx(() -> w.model().instance("web1/api-0"));
                assertThat(remote.host()).isEqualTo("web1");
                assertThat(remote.displayName()).isEqualTo("api-0");

                // the Hosts view: both, connected, with their engine's version
                fxRun(() -> w.select(View.HOSTS));
                Await.until(T, () -> fx(() -> w.hostsView().table().getItems().size() == 2), "two hosts listed");
                HostRow r1 = fx(() -> w.hostsView().table().getItems().get(1));
                Await.until(T, () -> fx(() -> r1.state.get().equals("connected") && r1.version.get().startsWith("dev \u00b7 pid ")
                        && r1.instances.get().equals("2 running / 2")), () -> "web1 row: " + fx(() -> r1.state.get() + " " + r1.version.get() + " " + r1.instances.get()));
                // bad input in the form names the field, and nothing is added
                fxRun(() -> {
                    w.hostsView().nameField().setText("web2");
                    w.hostsView().addressField().setText("web2.example.com");
                });
                robot.clickOn("#host-add");
                Await.until(T, () -> fx(() -> w.hostsView().error().getText()).startsWith("Address: \"web2.example.com\" is not an ssh:// URL"), "form error");
                assertThat(fx(() -> w.hostsView().table().getItems().size())).isEqualTo(2);

                // the host filter narrows the table
                fxRun(() -> w.select(View.AGENTS));
                fxRun(() -> w.hostFilter().setValue("web1"));
                Await.until(T, () -> {
                    List<String> hs = columnTexts("col-host");
                    return !hs.isEmpty() && hs.stream().allMatch("web1"::equals);
                }, () -> "only web1 rows, have " + columnTexts("col-host"));
                fxRun(() -> w.hostFilter().setValue("All hosts"));
                Await.until(T, () -> columnTexts("col-host").contains("local"), "every host again");

                // a bulk restart across both hosts: one outcome, one trace
                robot.clickOn("#btn-restart"); // nothing selected, no filter: everything on every host
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#confirm-ok").tryQuery().isPresent());
                robot.clickOn("#confirm-ok");
                Await.until(Duration.ofSeconds(60), () -> fx(() -> w.toasts().messages().stream().anyMatch(m -> m.startsWith("4 restarted"))),
                        () -> "outcome, have " + fx(() -> w.toasts().messages()));
                Await.until(T, () -> robot.lookup("#show-trace").tryQuery().isPresent(), "Show trace button");
                robot.clickOn("#show-trace");
                Await.until(T, () -> fx(() -> w.current() == View.TRACES && w.traces().shown() != null
                        && w.traces().shown().name.get().equals("restart (4 instances on 2 hosts)")), "the joint trace selected");
                Await.until(T, () -> fx(() -> w.traces().shown().hosts.get()).equals("local, web1"), "its hosts");
                Await.until(T, () -> fx(() -> w.traces().gantt().rowsForTest().stream().filter(s -> s.name().equals("restart api-0")).count()) == 2,
                        () -> "both hosts' spans on the timeline: " + fx(() -> w.traces().gantt().rowsForTest().stream().map(SpanView::name).toList()));
                List<SpanView> rows = fx(() -> w.traces().gantt().rowsForTest());
                assertThat(rows.get(0).name()).isEqualTo("restart (4 instances on 2 hosts)");
                assertThat(rows).filteredOn(s -> s.name().equals("restart (2 instances)")).allMatch(s -> rows.get(0).spanId().equals(s.parentSpanId())).hasSize(2);
            } finally {
                if (win[0] != null) {
                    ConsoleWindow w = win[0];
                    Platform.runLater(w::close);
                    WaitForAsyncUtils.waitForFxEvents();
                }
            }
        }
    }
}
