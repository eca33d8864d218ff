package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static io.sabot.ui.ConsoleHarness.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.AlertView;
import io.sabot.engine.Selection;
import io.sabot.host.Operations;
import io.sabot.store.Store;
import io.sabot.store.StoreOptions;
import io.sabot.testing.Await;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The console's notifications list, crash card and trends, over a real engine with the real
 * operator services (alerts, forensics, history on an H2 store) and a real crash-looping agent,
 * headless (Monocle).
 */
class OpsUiTest {
    private static final Duration T = Duration.ofSeconds(40);

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();

    @Test
    void aCrashLoopShowsInTheNotificationsWithAnUnreadCountAndAsACrashCard() throws Exception {
        Path counter = home.resolve("attempts");
        String agent = "{\"name\":\"flaky\",\"command\":[\"sh\",\"-c\",\"n=$(cat \\\"$0\\\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \\\"$0\\\"; "
                + "echo attempt $n; if [ $n -le 3 ]; then exit 3; fi; exec sleep 100000\",\"" + counter + "\"],"
                + "\"restart\":{\"backoff\":{\"initialMs\":50,\"maxMs\":100}}}";
        String alert = "{\"name\":\"loop\",\"on\":\"crash_loop\",\"restarts\":2,\"stableSeconds\":2,\"command\":[\"true\"]}";
        try (ConsoleHarness h = new ConsoleHarness(home, false);
             Store store = Store.open(home, StoreOptions.defaults().withScheduledRetention(false));
             Operations ops = new Operations(h.engine, store)) {
            h.engine.deploy(Specs.parse("{\"agents\":[" + agent + "],\"alerts\":[" + alert + "]}", home));
            h.open();
            h.engine.start(Selection.of("flaky"), null, null);

            // fired and resolved: one row, updated in place; two unseen changes on the bell
            Await.until(T, () -> fx(() -> "2".equals(h.window.bell().unreadText())), () -> "two unread, bell shows \"" + fx(() -> h.window.bell().unreadText()) + "\"");
            robot.clickOn("#notifications-bell");
            Await.until(T, () -> fx(() -> h.window.notifications().isVisible() && h.window.notifications().list().getItems() != null
                    && h.window.notifications().list().getItems().size() == 1), "the notifications list with one alert");
            AlertView shown = fx(() -> h.window.notifications().list().getItems().get(0));
            assertThat(shown.alert()).isEqualTo("loop");
            assertThat(shown.state()).isEqualTo(AlertView.RESOLVED);
            assertThat(fx(() -> h.window.bell().unreadText())).isEmpty(); // opening marks them read
            assertThat(fx(() -> robot.lookup("#notifications-list .list-cell").queryAllAs(javafx.scene.control.ListCell.class).stream()
                    .anyMatch(c -> !c.isEmpty())).booleanValue()).isTrue();
            fxRun(() -> h.window.showNotifications(false));

            // the instance's crash card
            fxRun(() -> h.window.selectFirstInstance());
            Await.until(T, () -> fx(() -> h.window.agents().detail().crash().isVisible()), "the crash card of flaky-0");
            assertThat(fx(() -> h.window.agents().detail().crash().titleText())).isEqualTo("Last crash: crashed (exit 3)");

            // the trends tab reads the history (a sample every 5 s)
            fxRun(() -> h.window.agents().detail().selectTab("tab-trends"));
            Await.until(T, () -> fx(() -> h.window.agents().detail().trends().pointsShown() > 0), "a history point in the trends");
        }
    }
}
