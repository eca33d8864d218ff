package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.input.KeyCode;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console driven by the keyboard alone (issue 19): a bulk restart (focus the table, select
 * all, restart, Enter in the confirmation) and its trace opened on the timeline; Escape cancels a
 * confirmation; {@code ?} shows the shortcuts and Escape hides them. Real engine, real processes.
 */
class ConsoleKeyboardTest {
    private static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path home;
    private final FxRobot robot = new FxRobot();

    private void keys(KeyCode... codes) {
        robot.press(codes);
        for (int i = codes.length - 1; i >= 0; i--) robot.release(codes[i]);
        WaitForAsyncUtils.waitForFxEvents();
    }

    static String windows() {
        return fx(() -> Window.getWindows().stream().map(w -> w.getClass().getSimpleName() + (w.isShowing() ? " showing" : "") + (w.isFocused() ? " focused" : "")
                + (w.getScene() != null && w.getScene().getFocusOwner() != null ? " owner=" + w.getScene().getFocusOwner().getClass().getSimpleName() + "#" + w.getScene().getFocusOwner().getId() : ""))
                .toList().toString());
    }

    /** Monocle (headless) has no window manager: give the dialog the keyboard as a desktop's would. */
    private static void focusDialog() {
        ConsoleHarness.fxRun(() -> Window.getWindows().stream().filter(w -> w.isShowing() && w.getScene() != null
                && w.getScene().lookup("#confirm-dialog") != null).findFirst().ifPresent(Window::requestFocus));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static boolean confirmShowing() {
        return fx(() -> Window.getWindows().stream().anyMatch(w -> w.isShowing() && w.getScene() != null
                && w.getScene().lookup("#confirm-dialog") != null));
    }

    @Test
    void bulkRestartAndItsTraceWithTheKeyboardAlone() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, true)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("k", 3, null)), home));
            h.engine.start(Selection.everything(), null, null);
            List<Long> before = h.fixture.pids();
            h.open();
            Await.until(T, () -> fx(() -> h.window.model().count(InstanceState.RUNNING).get() == 3), "three running rows");

            // the shortcuts overlay: ? shows it, Escape hides it
            robot.write("?");
            Await.until(T, () -> fx(() -> h.window.help().showing()), "help overlay shown");
            keys(KeyCode.ESCAPE);
            Await.until(T, () -> fx(() -> !h.window.help().showing()), "help overlay hidden");

            // Escape in a confirmation cancels: nothing stopped
            keys(KeyCode.CONTROL, KeyCode.L);
            keys(KeyCode.CONTROL, KeyCode.A);
            Await.until(T, () -> fx(() -> h.window.agents().table().targets().count()) == 3, "all selected");
            keys(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.S);
            Await.until(T, ConsoleKeyboardTest::confirmShowing, "stop confirmation");
            focusDialog();
            keys(KeyCode.ESCAPE);
            Await.until(T, () -> !confirmShowing(), () -> "confirmation closed: " + windows());
            assertThat(h.fixture.status().stream().allMatch(s -> s.state() == InstanceState.RUNNING)).isTrue();
            assertThat(h.fixture.pids()).containsExactlyInAnyOrderElementsOf(before);

            // Ctrl+R, Enter: every instance restarted with a new pid
            keys(KeyCode.CONTROL, KeyCode.R);
            Await.until(T, ConsoleKeyboardTest::confirmShowing, "restart confirmation");
            focusDialog();
            keys(KeyCode.ENTER);
            Await.until(T, () -> {
                List<InstanceStatus> st = h.fixture.status();
                return st.size() == 3 && st.stream().allMatch(s -> s.state() == InstanceState.RUNNING && s.pid() != null && !before.contains(s.pid()));
            }, () -> "all RUNNING with new pids: " + h.fixture.status());
            Await.until(T, () -> fx(() -> h.window.agents().actions().lastTraceId() != null), "the outcome names a trace");

            // Ctrl+T: the operation's trace on the timeline
            keys(KeyCode.CONTROL, KeyCode.T);
            Await.until(T, () -> fx(() -> h.window.current() == View.TRACES && h.window.traces().shown() != null
                    && h.window.traces().shown().traceId().equals(h.window.agents().actions().lastTraceId())), "trace shown");
            // the root span is named once it reaches the console (until then the trace is named for its first span, "…")
            Await.until(T, () -> fx(() -> "restart (3 instances)".equals(h.window.traces().shown().name.get())),
                    () -> "the trace named for the operation, shown as \"" + fx(() -> h.window.traces().shown().name.get()) + "\"");
            Await.until(T, () -> fx(() -> h.window.traces().gantt().rowCount()) >= 4, "its spans on the timeline");
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !confirmShowing());
        }
    }
}
